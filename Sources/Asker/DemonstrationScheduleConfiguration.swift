/// The demonstration-rate rule's constants (reference §5.3), with presets per scale.
public struct DemonstrationScheduleConfiguration: Codable, Sendable, Equatable, Hashable {
    /// Demonstrations owed before X takes any step. The reference's 500 fills H′'s first batches;
    /// the CPU presets scale it with the run length (see the presets).
    public var initialDemonstrations: Int
    /// Demonstrations generated per batch at most. 50: the reference's batch of instances.
    public var batchSize: Int
    /// The EMA of H′'s fresh loss below which the rate drops from 1 to 0.1. 0.1: the reference's.
    public var firstLossThreshold: Double
    /// The EMA below which the rate drops from 0.1 to 0.01. 0.01: the reference's.
    public var secondLossThreshold: Double
    /// The loss EMA's horizon is `horizonScale · rate / batchSize` batches of `batchSize`, i.e.
    /// `horizonScale · rate` demonstrations (at least 1; smaller batches weigh less). The
    /// reference's 3000 forgets the untrained H′'s losses only after about 3000 demonstrations,
    /// longer than a whole CPU run; the CPU presets scale it with the run (300 small, 50 tiny).
    public var horizonScale: Double

    public init(
        initialDemonstrations: Int = 200, batchSize: Int = 50, firstLossThreshold: Double = 0.1,
        secondLossThreshold: Double = 0.01, horizonScale: Double = 300
    ) {
        self.initialDemonstrations = initialDemonstrations
        self.batchSize = batchSize
        self.firstLossThreshold = firstLossThreshold
        self.secondLossThreshold = secondLossThreshold
        self.horizonScale = horizonScale
    }

    /// 50 initial demonstrations in batches of 25, a horizon of 2 batches: unit tests and the tiny
    /// preset, whose runs take a few hundred X steps (the reference's 500 would exceed the whole run).
    public static let tiny = DemonstrationScheduleConfiguration(initialDemonstrations: 50, batchSize: 25, horizonScale: 50)
    /// 200 initial demonstrations and a horizon of 300: a small run takes a few thousand X steps (DESIGN §5), 1/100 of
    /// the reference's 400 000, and 200 transcripts already teach H′ a small task's script.
    public static let small = DemonstrationScheduleConfiguration()
    /// The reference's 500 and 3000 (§5.3).
    public static let paper = DemonstrationScheduleConfiguration(initialDemonstrations: 500, horizonScale: 3000)

    /// Checks the constants.
    ///
    /// - Precondition: counts positive, thresholds decreasing and positive, horizon positive.
    func validate() {
        precondition(
            initialDemonstrations >= 0 && batchSize > 0 && firstLossThreshold > secondLossThreshold
                && secondLossThreshold > 0 && horizonScale > 0,
            "DemonstrationScheduleConfiguration: invalid constants \(self)")
    }
}
