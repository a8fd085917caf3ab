/// What H′'s side of a run did: how well it imitates the expert, and what it cost.
///
/// ```swift
/// let report = asker.report(heldOutAccuracy: asker.accuracy(on: heldOut))
/// report.heldOutAccuracy?.subquestions   // whole sub-questions right, held out
/// report.expertCalls                      // the scarce resource
/// ```
public struct AskerReport: Codable, Sendable, Hashable {
    /// Teacher-forced action accuracy on held-out expert transcripts at the task's full size
    /// (``AskerLoop/heldOutTranscripts(task:instances:budget:seed:)``); nil when not measured.
    public var heldOutAccuracy: ActionAccuracy?
    /// Accuracy on the latest fresh demonstrations, measured before training on them.
    public var latestAccuracy: ActionAccuracy?
    /// Demonstrations generated.
    public var demonstrations: Int
    /// Expert actions they cost.
    public var expertCalls: Int
    /// H′ Adam steps taken, and steps forgone while it was accurate.
    public var steps: Int
    public var pausedSteps: Int
    /// The demonstration rate at the end (1, 0.1 or 0.01 per X step).
    public var rate: Double
    /// The EMA of H′'s fresh-demonstration loss, nil before the first demonstrations.
    public var freshLossAverage: Double?

    public init(
        heldOutAccuracy: ActionAccuracy?, latestAccuracy: ActionAccuracy?, demonstrations: Int, expertCalls: Int,
        steps: Int, pausedSteps: Int, rate: Double, freshLossAverage: Double?
    ) {
        self.heldOutAccuracy = heldOutAccuracy
        self.latestAccuracy = latestAccuracy
        self.demonstrations = demonstrations
        self.expertCalls = expertCalls
        self.steps = steps
        self.pausedSteps = pausedSteps
        self.rate = rate
        self.freshLossAverage = freshLossAverage
    }
}
