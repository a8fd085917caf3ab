/// The `rounds` schedule: amplify a dataset with the current teacher, distill, swap in, repeat.
public struct RoundsConfiguration: Codable, Sendable, Hashable {
    /// Rounds to run. 6: one more than the deepest question class of the small presets, so the
    /// frontier can climb through every depth (HCH_n answers depth ≤ n).
    public var roundCount: Int
    /// Instances amplified at the start of each round, at full size. 200 at small.
    public var instancesPerRound: Int
    /// Adam steps on the round's dataset (continuing the student). 400 at small: with batch 16
    /// over 200 instances each instance is used about 32 times.
    public var stepsPerRound: Int

    public init(roundCount: Int = 6, instancesPerRound: Int = 200, stepsPerRound: Int = 400) {
        self.roundCount = roundCount
        self.instancesPerRound = instancesPerRound
        self.stepsPerRound = stepsPerRound
    }

    /// Three short rounds.
    public static let tiny = RoundsConfiguration(roundCount: 3, instancesPerRound: 32, stepsPerRound: 60)
    /// The defaults.
    public static let small = RoundsConfiguration()
    /// Ten long rounds.
    public static let paper = RoundsConfiguration(roundCount: 10, instancesPerRound: 10_000, stepsPerRound: 40_000)

    var problem: String? {
        if roundCount < 1 || instancesPerRound < 1 || stepsPerRound < 1 {
            return "rounds: roundCount, instancesPerRound and stepsPerRound must be ≥ 1, got \(self)"
        }
        return nil
    }
}
