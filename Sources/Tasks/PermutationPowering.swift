import SeededRandom

/// Permutation powering (reference §3.1): given a hidden permutation σ, answer σ^k(x).
///
/// Facts `[x σ(x)]`, one per element; question `[x b…]` with k in binary, most significant bit
/// first; answer `[σ^k(x)]`. Leaves: k ∈ {0, 1}. The expert halves the exponent:
/// σ^{2m}(x) = σ^m(σ^m(x)) and σ^{2m+1}(x) = σ(σ^m(σ^m(x))). A question's depth is
/// bit-length(k) − 2 (k ∈ {2, 3} needs only leaves).
public struct PermutationPowering: AmplificationTask {
    public let configuration: PermutationPoweringConfiguration
    public let names: NameSpace
    public let vocabulary: [String]

    /// Token ids of the two bits.
    static let zeroBit = 1
    static let oneBit = 2

    /// - Precondition: `configuration.problem == nil`.
    public init(_ configuration: PermutationPoweringConfiguration = .small) {
        precondition(configuration.problem == nil, "PermutationPowering: \(configuration.problem ?? "")")
        self.configuration = configuration
        names = NameSpace(letterCount: configuration.letterCount, nameLength: configuration.nameLength, firstLetter: 3)
        vocabulary = ["?", "0", "1"] + names.letterStrings
    }

    public var name: String { "permutation" }
    public var factLength: Int { 2 * names.nameLength }
    public var questionLength: Int { names.nameLength + configuration.exponentBits }
    public var answerLength: Int { names.nameLength }
    public var interactionLength: Int { 3 }
    public var size: Int { configuration.size }
    public var minimumSize: Int { configuration.minimumSize }

    public func makeInstance(size: Int, using rng: inout SplitMix64) -> TaskInstance {
        precondition(size >= 1 && size <= names.nameCount, "PermutationPowering.makeInstance: size \(size) outside 1...\(names.nameCount)")
        let elements = names.sampleDistinct(size, using: &rng)
        let images = elements.shuffled(using: &rng)
        var facts: [Tokens] = []
        for (element, image) in zip(elements, images) {
            var fact: Tokens = []
            names.append(name: element, to: &fact)
            names.append(name: image, to: &fact)
            facts.append(fact)
        }
        let bits = configuration.exponentBits
        let questions = (0..<facts.count).map { _ in
            let element = elements[Int.random(in: 0..<size, using: &rng)]
            // The leading 1 sits at position 0…bits−2, so bit-length(k) is uniform in 2…bits.
            let leading = Int.random(in: 0...(bits - 2), using: &rng)
            var exponent = 1
            for _ in (leading + 1)..<bits { exponent = exponent << 1 | Int.random(in: 0...1, using: &rng) }
            return question(element: element, exponent: exponent)
        }
        return TaskInstance(size: size, facts: facts, questions: questions)
    }

    public func oracle(for instance: TaskInstance) -> any InstanceOracle {
        PermutationOracle(task: self, facts: instance.facts)
    }

    public func isLeaf(_ question: Tokens) -> Bool {
        guard let (_, exponent) = parse(question) else { return false }
        return exponent <= 1
    }

    public func expertStep(question: Tokens, transcript: [Exchange]) -> ExpertStep {
        var unknown: ExpertStep { .answer(.unknown(answerLength)) }
        guard let (element, exponent) = parse(question) else { return unknown }
        if exponent <= 1 {
            guard let reply = transcript.first else { return .ask(question) }
            return names.index(in: reply.answer.tokens, at: 0) == nil ? unknown : .answer(reply.answer.tokens)
        }
        let half = exponent >> 1
        switch transcript.count {
        case 0:
            return .ask(self.question(element: element, exponent: half))
        case 1, 2:
            guard let image = names.index(in: transcript[transcript.count - 1].answer.tokens, at: 0) else { return unknown }
            if transcript.count == 1 { return .ask(self.question(element: image, exponent: half)) }
            if exponent & 1 == 0 { return .answer(names.tokens(ofName: image)) }
            return .ask(self.question(element: image, exponent: 1))
        default:
            guard let image = names.index(in: transcript[transcript.count - 1].answer.tokens, at: 0) else { return unknown }
            return .answer(names.tokens(ofName: image))
        }
    }

    /// The question "σ^exponent(element)".
    ///
    /// - Precondition: `0 ≤ exponent < 2^exponentBits`.
    public func question(element: Int, exponent: Int) -> Tokens {
        let bits = configuration.exponentBits
        precondition(exponent >= 0 && exponent < 1 << bits, "PermutationPowering.question: exponent \(exponent) outside 0..<\(1 << bits)")
        var tokens: Tokens = []
        tokens.reserveCapacity(questionLength)
        names.append(name: element, to: &tokens)
        for bit in stride(from: bits - 1, through: 0, by: -1) {
            tokens.append(exponent >> bit & 1 == 1 ? Self.oneBit : Self.zeroBit)
        }
        return tokens
    }

    /// The element index and exponent of a well-formed question, else `nil`.
    func parse(_ question: Tokens) -> (element: Int, exponent: Int)? {
        guard question.count == questionLength, let element = names.index(in: question, at: 0) else { return nil }
        var exponent = 0
        for position in names.nameLength..<questionLength {
            switch question[position] {
            case Self.zeroBit: exponent <<= 1
            case Self.oneBit: exponent = exponent << 1 | 1
            default: return nil
            }
        }
        return (element, exponent)
    }
}
