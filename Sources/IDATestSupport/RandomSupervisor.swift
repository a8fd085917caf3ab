import Amplification
import SeededRandom
import Tasks

/// A supervisor with an arbitrary but deterministic policy, for budget properties: on each
/// workspace it asks a random question (a leaf, a main question or its own question, each with
/// some probability) or answers a random token string. The choice is a pure function of the
/// workspace and `seed`, so runs are reproducible.
public struct RandomSupervisor: SynchronousSupervisor {
    public let seed: UInt64
    /// Questions it may ask (the candidates it picks from).
    public let questions: [Tokens]
    /// The chance of asking rather than answering, in [0, 1].
    public let askProbability: Double
    public let answerLength: Int
    public let vocabularySize: Int

    public init(seed: UInt64, questions: [Tokens], askProbability: Double, answerLength: Int, vocabularySize: Int) {
        precondition(!questions.isEmpty, "RandomSupervisor: needs at least one candidate question")
        self.seed = seed
        self.questions = questions
        self.askProbability = askProbability
        self.answerLength = answerLength
        self.vocabularySize = vocabularySize
    }

    public var agent: Agent { .program("random") }

    public func action(on workspace: Workspace) -> SupervisorAction {
        var rng = SplitMix64(seed: seed ^ UInt64(truncatingIfNeeded: stableHash(workspace)))
        if Double(rng.nextUnitFloat()) < askProbability {
            let pick = Int(rng.next() % UInt64(questions.count + 1))
            return .ask(pick == questions.count ? workspace.question : .tokens(questions[pick]))
        }
        return .answer(.tokens((0..<answerLength).map { _ in Int(rng.next() % UInt64(vocabularySize)) }))
    }

    /// A hash that does not change between processes (Swift's `Hasher` is seeded per process).
    private func stableHash(_ workspace: Workspace) -> UInt64 {
        var state: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ value: Int) {
            state = (state ^ UInt64(bitPattern: Int64(value))) &* 0x100_0000_01B3
        }
        workspace.question.tokens.forEach(mix)
        for exchange in workspace.exchanges {
            exchange.question.tokens.forEach(mix)
            exchange.answer.tokens.forEach(mix)
            mix(-1)
        }
        return state
    }
}
