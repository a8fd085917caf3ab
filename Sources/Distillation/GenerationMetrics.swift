import Amplification

/// What one generation of targets reports: how many, at what size, and how well the teacher
/// already agrees with them (the curriculum signal).
public struct GenerationMetrics: Codable, Sendable, Hashable {
    /// The step count when the generation ran (0: warm-up).
    public var step: Int
    /// Instances generated.
    public var instanceCount: Int
    /// Their (question, target) pairs.
    public var questionCount: Int
    /// Their size.
    public var instanceSize: Int
    /// Fraction of questions where the teacher's answer is not all-`?` and equals the target.
    public var agreement: Double
    /// The curriculum's running agreement after this generation.
    public var averageAgreement: Double
    /// The size the next generation will use (larger than `instanceSize` when it grew).
    public var nextSize: Int
    /// What making the targets cost (supervisor actions, leaf lookups, assistant calls).
    public var counters: AmplificationCounters
    /// The run's real-expert calls so far, this generation included
    /// (``TrainingCounters/expertCalls``): what the progress line shows.
    public var expertCalls: Int

    public init(
        step: Int, instanceCount: Int, questionCount: Int, instanceSize: Int, agreement: Double, averageAgreement: Double,
        nextSize: Int, counters: AmplificationCounters, expertCalls: Int = 0
    ) {
        self.step = step
        self.instanceCount = instanceCount
        self.questionCount = questionCount
        self.instanceSize = instanceSize
        self.agreement = agreement
        self.averageAgreement = averageAgreement
        self.nextSize = nextSize
        self.counters = counters
        self.expertCalls = expertCalls
    }
}
