/// Token ids for one answerer call: B instances with F facts and Q questions each, flat row-major.
///
/// Token 0 is padding: an all-zero fact is masked out of attention and copying, and an all-zero
/// question is left out of the loss. Every instance of a batch has the same F and Q (pad with
/// zero facts or questions).
///
/// ```swift
/// let batch = AnswererBatch(
///     facts: [[[1, 2], [3, 4]]], questions: [[[1], [3]]], targets: [[[2], [4]]])
/// ```
public struct AnswererBatch: Sendable, Equatable, Hashable {
    /// B
    public var instanceCount: Int
    /// F, facts per instance.
    public var factCount: Int
    /// Q, questions per instance.
    public var questionCount: Int
    /// (B, F, factLength)
    public var facts: [Int]
    /// (B, Q, questionLength)
    public var questions: [Int]
    /// (B, Q, answerLength) teacher-forcing targets; empty when only decoding.
    public var targets: [Int]

    /// A batch from flat row-major arrays.
    public init(instanceCount: Int, factCount: Int, questionCount: Int, facts: [Int], questions: [Int], targets: [Int] = []) {
        self.instanceCount = instanceCount
        self.factCount = factCount
        self.questionCount = questionCount
        self.facts = facts
        self.questions = questions
        self.targets = targets
    }

    /// A batch from nested arrays: facts[b][f][token], questions[b][q][token], targets[b][q][token].
    ///
    /// - Precondition: every instance has the same number of facts and of questions.
    public init(facts: [[[Int]]], questions: [[[Int]]], targets: [[[Int]]] = []) {
        precondition(facts.count == questions.count, "AnswererBatch: \(facts.count) fact sets for \(questions.count) question sets")
        let factCount = facts.first?.count ?? 0
        let questionCount = questions.first?.count ?? 0
        precondition(
            facts.allSatisfy { $0.count == factCount } && questions.allSatisfy { $0.count == questionCount },
            "AnswererBatch: instances differ in fact or question count; pad with all-zero rows")
        precondition(
            targets.isEmpty || targets.map(\.count) == questions.map(\.count),
            "AnswererBatch: targets must have one answer per question")
        self.init(
            instanceCount: facts.count, factCount: factCount, questionCount: questionCount,
            facts: facts.flatMap { $0.flatMap { $0 } }, questions: questions.flatMap { $0.flatMap { $0 } },
            targets: targets.flatMap { $0.flatMap { $0 } })
    }

    /// The instances in `range` (with their targets, if any) as a batch of their own.
    ///
    /// - Precondition: `range` lies within `0..<instanceCount`.
    public func instances(_ range: Range<Int>) -> AnswererBatch {
        precondition(
            range.lowerBound >= 0 && range.upperBound <= instanceCount,
            "AnswererBatch.instances: \(range) outside 0..<\(instanceCount)")
        func slice(_ tokens: [Int], perInstance: Int) -> [Int] {
            Array(tokens[(range.lowerBound * perInstance)..<(range.upperBound * perInstance)])
        }
        let answerLength = questionCount == 0 || instanceCount == 0 ? 0 : targets.count / (instanceCount * questionCount)
        return AnswererBatch(
            instanceCount: range.count, factCount: factCount, questionCount: questionCount,
            facts: slice(facts, perInstance: facts.count / max(instanceCount, 1)),
            questions: slice(questions, perInstance: questions.count / max(instanceCount, 1)),
            targets: targets.isEmpty ? [] : slice(targets, perInstance: questionCount * answerLength))
    }

    /// Whether each fact has a non-zero token, (B, F).
    func factIsReal(factLength: Int) -> [Bool] {
        (0..<(instanceCount * factCount)).map { row in
            (0..<factLength).contains { facts[row * factLength + $0] != 0 }
        }
    }

    /// Whether each question has a non-zero token, (B, Q).
    public func questionIsReal(questionLength: Int) -> [Bool] {
        (0..<(instanceCount * questionCount)).map { row in
            (0..<questionLength).contains { questions[row * questionLength + $0] != 0 }
        }
    }
}
