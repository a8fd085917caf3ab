import Tasks

/// One instance in the replay buffer: its facts, its questions and one target per question.
public struct TrainingExample: Codable, Sendable, Hashable {
    public var facts: [Tokens]
    public var questions: [Tokens]
    /// Amp(H, X_teacher)'s answers (IA) or ground truth (supervised), one per question.
    public var targets: [Tokens]
    /// Times a training batch has drawn this example so far.
    public var uses: Int

    public init(facts: [Tokens], questions: [Tokens], targets: [Tokens], uses: Int = 0) {
        precondition(
            questions.count == targets.count,
            "TrainingExample: \(questions.count) questions but \(targets.count) targets")
        self.facts = facts
        self.questions = questions
        self.targets = targets
        self.uses = uses
    }
}
