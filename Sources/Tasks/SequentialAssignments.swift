import SeededRandom

/// Sequential assignments (reference §3.2): evaluate a variable in a program of assignments
/// `x := v` and `x := f(y, z)`, with one hidden binary operation f on values.
///
/// Facts (length 3·nameLength): `[x v ?…]` base, `[x y z]` compound, `[a b c ?…]` a row of f,
/// all-`?` filler. Question `[C x]`; answer `[v ?…]`. Leaves: `[A x]` and `[B x]` (the first and
/// second operand, or `[v ?…]` for a base variable) and `[a b ?…]` (f(a, b)). The expert asks
/// A, C, B, C, f. Depth: 0 for a base variable, else 1 + the larger depth of its operands.
public struct SequentialAssignments: AmplificationTask {
    public let configuration: SequentialAssignmentsConfiguration
    public let names: NameSpace
    public let vocabulary: [String]

    static let first = 1
    static let second = 2
    static let evaluate = 3

    /// - Precondition: `configuration.problem == nil`.
    public init(_ configuration: SequentialAssignmentsConfiguration = .small) {
        precondition(configuration.problem == nil, "SequentialAssignments: \(configuration.problem ?? "")")
        self.configuration = configuration
        names = NameSpace(letterCount: configuration.letterCount, nameLength: configuration.nameLength, firstLetter: 4)
        vocabulary = ["?", "A", "B", "C"] + names.letterStrings + (0..<configuration.valueCount).map(String.init)
    }

    public var name: String { "assignments" }
    public var factLength: Int { 3 * names.nameLength }
    public var questionLength: Int { 1 + names.nameLength }
    public var answerLength: Int { names.nameLength }
    public var interactionLength: Int { 5 }
    public var size: Int { configuration.size }
    public var minimumSize: Int { configuration.minimumSize }

    /// The first value token.
    var firstValue: Int { 4 + configuration.letterCount }

    /// The value index of `token`, or `nil` when it is not a value.
    func value(_ token: Int) -> Int? {
        let index = token - firstValue
        return index >= 0 && index < configuration.valueCount ? index : nil
    }

    /// The value index of an answer `[v ?…]`, or `nil` when it is not of that form.
    func valueAnswer(_ answer: Tokens) -> Int? {
        guard answer.count == answerLength, let first = answer.first, let value = value(first),
            answer.dropFirst().allSatisfy({ $0 == 0 })
        else { return nil }
        return value
    }

    /// The answer `[v ?…]`.
    func answer(value: Int) -> Tokens {
        ([firstValue + value] as Tokens).padded(to: answerLength)
    }

    /// The question `[op x]`.
    func question(_ operation: Int, _ variable: Int) -> Tokens {
        var tokens: Tokens = [operation]
        names.append(name: variable, to: &tokens)
        return tokens
    }

    public func makeInstance(size: Int, using rng: inout SplitMix64) -> TaskInstance {
        precondition(size >= 1 && size <= names.nameCount, "SequentialAssignments.makeInstance: size \(size) outside 1...\(names.nameCount)")
        let variables = names.sampleDistinct(size, using: &rng)
        let baseCount = Int(Double(size).squareRoot())
        var values: [Int] = []
        var operation: [Int: Int] = [:]
        var facts: [Tokens] = []
        for (index, variable) in variables.enumerated() {
            var fact: Tokens = []
            names.append(name: variable, to: &fact)
            if index < baseCount {
                let value = Int.random(in: 0..<configuration.valueCount, using: &rng)
                values.append(value)
                facts.append((fact + [firstValue + value]).padded(to: factLength))
                continue
            }
            let left = Int.random(in: 0..<index, using: &rng)
            let right = Int.random(in: 0..<index, using: &rng)
            names.append(name: variables[left], to: &fact)
            names.append(name: variables[right], to: &fact)
            facts.append(fact)
            let pair = values[left] * configuration.valueCount + values[right]
            if let result = operation[pair] {
                values.append(result)
                facts.append(.unknown(factLength))
            } else {
                let result = Int.random(in: 0..<configuration.valueCount, using: &rng)
                operation[pair] = result
                values.append(result)
                facts.append(([firstValue + values[left], firstValue + values[right], firstValue + result] as Tokens).padded(to: factLength))
            }
        }
        let questions = (0..<facts.count).map { _ in
            question(Self.evaluate, variables[Int.random(in: 0..<size, using: &rng)])
        }
        return TaskInstance(size: size, facts: facts, questions: questions)
    }

    public func oracle(for instance: TaskInstance) -> any InstanceOracle {
        AssignmentsOracle(task: self, facts: instance.facts)
    }

    public func isLeaf(_ question: Tokens) -> Bool {
        guard question.count == questionLength, let head = question.first else { return false }
        if head == Self.first || head == Self.second { return names.index(in: question, at: 1) != nil }
        return question.count >= 2 && value(question[0]) != nil && value(question[1]) != nil
            && question.dropFirst(2).allSatisfy { $0 == 0 }
    }

    public func expertStep(question: Tokens, transcript: [Exchange]) -> ExpertStep {
        var unknown: ExpertStep { .answer(.unknown(answerLength)) }
        if isLeaf(question) {
            guard let reply = transcript.first else { return .ask(question) }
            return .answer(reply.answer.tokens)
        }
        guard question.count == questionLength, question[0] == Self.evaluate, let variable = names.index(in: question, at: 1) else {
            return unknown
        }
        let answers = transcript.map(\.answer.tokens)
        switch answers.count {
        case 0:
            return .ask(self.question(Self.first, variable))
        case 1, 3:
            guard let operand = names.index(in: answers[answers.count - 1], at: 0) else {
                // A base variable: the operand lookup gave its value.
                return valueAnswer(answers[answers.count - 1]).map { .answer(self.answer(value: $0)) } ?? unknown
            }
            return .ask(self.question(Self.evaluate, operand))
        case 2:
            return .ask(self.question(Self.second, variable))
        case 4:
            guard let left = valueAnswer(answers[1]), let right = valueAnswer(answers[3]) else { return unknown }
            return .ask(([firstValue + left, firstValue + right] as Tokens).padded(to: questionLength))
        default:
            return valueAnswer(answers[4]).map { .answer(self.answer(value: $0)) } ?? unknown
        }
    }
}
