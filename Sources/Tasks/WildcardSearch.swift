import SeededRandom

/// Wildcard search (reference §3.3): the sum of the values of the context strings that match a
/// pattern with wildcards.
///
/// Facts `[s… value]` with value ±1; question `[p…]`, a string with 1 to `stringLength` letters
/// replaced by `*`; answer `[sum]`. Leaves: no `*` (the string's value, 0 when absent). The
/// expert fills the first `*` with each letter in turn and adds the two sums, clamped to
/// ±`sumBound`. Depth: wildcards − 1.
public struct WildcardSearch: AmplificationTask {
    public let configuration: WildcardSearchConfiguration
    public let vocabulary: [String]

    static let star = 1
    static let firstLetter = 2

    /// - Precondition: `configuration.problem == nil`.
    public init(_ configuration: WildcardSearchConfiguration = .small) {
        precondition(configuration.problem == nil, "WildcardSearch: \(configuration.problem ?? "")")
        self.configuration = configuration
        let bound = configuration.sumBound
        vocabulary = ["?", "*"] + NameSpace.letters(configuration.letterCount) + (-bound...bound).map(String.init)
    }

    public var name: String { "wildcard" }
    public var factLength: Int { configuration.stringLength + 1 }
    public var questionLength: Int { configuration.stringLength }
    public var answerLength: Int { 1 }
    public var interactionLength: Int { configuration.letterCount }
    public var size: Int { configuration.size }
    public var minimumSize: Int { configuration.minimumSize }

    /// The token of the number `value`, clamped to ±sumBound.
    public func token(of value: Int) -> Int {
        let bound = configuration.sumBound
        return Self.firstLetter + configuration.letterCount + (min(max(value, -bound), bound) + bound)
    }

    /// The number of `token`, or `nil` when it is not a number.
    public func number(_ token: Int) -> Int? {
        let offset = token - Self.firstLetter - configuration.letterCount
        guard offset >= 0, offset <= 2 * configuration.sumBound else { return nil }
        return offset - configuration.sumBound
    }

    func isLetter(_ token: Int) -> Bool {
        token >= Self.firstLetter && token < Self.firstLetter + configuration.letterCount
    }

    /// Whether `question` is a pattern: the right length, letters and `*` only.
    func isPattern(_ question: Tokens) -> Bool {
        question.count == questionLength && question.allSatisfy { $0 == Self.star || isLetter($0) }
    }

    public func makeInstance(size: Int, using rng: inout SplitMix64) -> TaskInstance {
        let strings = NameSpace(letterCount: configuration.letterCount, nameLength: configuration.stringLength, firstLetter: Self.firstLetter)
        precondition(size >= 1 && size <= strings.nameCount, "WildcardSearch.makeInstance: size \(size) outside 1...\(strings.nameCount)")
        let facts = strings.sampleDistinct(size, using: &rng).map { string in
            strings.tokens(ofName: string) + [token(of: Bool.random(using: &rng) ? 1 : -1)]
        }
        let length = configuration.stringLength
        let questions = (0..<facts.count).map { _ in
            var pattern = (0..<length).map { _ in Self.firstLetter + Int.random(in: 0..<configuration.letterCount, using: &rng) }
            let wildcards = Int.random(in: 1...length, using: &rng)
            var positions = Array(0..<length)
            for index in 0..<wildcards {
                positions.swapAt(index, Int.random(in: index..<length, using: &rng))
                pattern[positions[index]] = Self.star
            }
            return pattern
        }
        return TaskInstance(size: size, facts: facts, questions: questions)
    }

    public func oracle(for instance: TaskInstance) -> any InstanceOracle {
        WildcardOracle(task: self, facts: instance.facts)
    }

    public func isLeaf(_ question: Tokens) -> Bool {
        isPattern(question) && !question.contains(Self.star)
    }

    public func expertStep(question: Tokens, transcript: [Exchange]) -> ExpertStep {
        // Reference quirk kept: a malformed question gets 0, not `?`.
        guard isPattern(question) else { return .answer([token(of: 0)]) }
        guard let wildcard = question.firstIndex(of: Self.star) else {
            guard let reply = transcript.first else { return .ask(question) }
            return .answer(reply.answer.tokens.first.flatMap(number) == nil ? [0] : reply.answer.tokens)
        }
        if transcript.count < configuration.letterCount {
            var subQuestion = question
            subQuestion[wildcard] = Self.firstLetter + transcript.count
            return .ask(subQuestion)
        }
        var sum = 0
        for exchange in transcript {
            guard let value = exchange.answer.tokens.first.flatMap(number) else { return .answer([0]) }
            sum += value
        }
        return .answer([token(of: sum)])
    }
}
