import NeuralNetworks

/// Held-out evaluation: instances at the task's FULL size, from a seed stream of their own
/// (never the training data's), scored per question depth against ground truth.
public struct EvaluationConfiguration: Codable, Sendable, Hashable {
    /// Steps between evaluations; 0 evaluates only at the end (and after each round).
    public var interval: Int
    /// Held-out instances (each with one question per fact). 64 at small: about 700 questions,
    /// ±2 points of standard error at 85 %, enough to compare IA with the baseline. 0 turns
    /// evaluation off (reports then have no depths; ground truth is never read).
    public var instanceCount: Int
    /// Also score Amp(H, X_teacher) (costs one amplification of the held-out set).
    public var amplified: Bool
    /// The held-out stream is `SplitMix64(seed: run seed).split(stream: seedStream)`, apart from
    /// the weight (1) and data (2) streams. Change it to draw another held-out set.
    public var seedStream: UInt64

    public init(interval: Int = 300, instanceCount: Int = 64, amplified: Bool = true, seedStream: UInt64 = 1001) {
        self.interval = interval
        self.instanceCount = instanceCount
        self.amplified = amplified
        self.seedStream = seedStream
    }

    /// Two evaluations in a 300-step run, on 16 instances: a tiny run takes seconds.
    public static let tiny = EvaluationConfiguration(interval: 100, instanceCount: 16)
    /// Every 300 steps (ten per default run) on 64 instances.
    public static let small = EvaluationConfiguration()
    /// Every 10 000 steps on 200 instances.
    public static let paper = EvaluationConfiguration(interval: 10_000, instanceCount: 200)

    var problem: String? {
        if interval < 0 { return "evaluation interval \(interval) must be ≥ 0" }
        if instanceCount < 0 { return "evaluation instanceCount \(instanceCount) must be ≥ 0" }
        return nil
    }
}
