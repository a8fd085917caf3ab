import Asker

/// The outcome of a finished run.
public struct DistillationReport: Codable, Sendable, Hashable {
    /// The task's command-line name.
    public var taskName: String
    public var targets: TargetSource
    public var schedule: TrainingSchedule
    public var seed: UInt64
    /// The final held-out evaluation (full size, per depth).
    public var evaluation: EvaluationReport
    /// Every evaluation of the run, in order (the learning curve).
    public var evaluations: [EvaluationReport]
    /// One per round (`rounds` schedule), else empty.
    public var rounds: [RoundReport]
    /// What the run consumed.
    public var counters: TrainingCounters
    /// The instance size the curriculum reached.
    public var finalCurriculumSize: Int
    /// H′'s side of the run (``DistillationConfiguration/asker``), nil with the scripted expert
    /// and in the baseline (and in reports stored before H′ existed).
    public var asker: AskerReport?

    public init(
        taskName: String, targets: TargetSource, schedule: TrainingSchedule, seed: UInt64, evaluation: EvaluationReport,
        evaluations: [EvaluationReport], rounds: [RoundReport], counters: TrainingCounters, finalCurriculumSize: Int,
        asker: AskerReport? = nil
    ) {
        self.taskName = taskName
        self.targets = targets
        self.schedule = schedule
        self.seed = seed
        self.evaluation = evaluation
        self.evaluations = evaluations
        self.rounds = rounds
        self.counters = counters
        self.finalCurriculumSize = finalCurriculumSize
        self.asker = asker
    }
}
