/// How an ``Amplifier`` runs: its budget, its ground-truth policy and whether it records traces.
public struct AmplifierConfiguration: Hashable, Sendable, Codable {
    /// The limits enforced over the whole run (all levels).
    public var budget: AmplificationBudget

    /// `.forbidden`: amplified answers must not depend on ground truth beyond leaf lookups, the
    /// point of the method; only the ground-truth assistant's tests and the supervised baseline
    /// set `.allowed`.
    public var groundTruth: GroundTruthPolicy

    /// Record a ``TraceNode`` per question. `false`: the fast path allocates nothing for traces.
    public var tracing: Bool

    public init(budget: AmplificationBudget = .small, groundTruth: GroundTruthPolicy = .forbidden, tracing: Bool = false) {
        self.budget = budget
        self.groundTruth = groundTruth
        self.tracing = tracing
    }

    public static let tiny = AmplifierConfiguration(budget: .tiny)
    public static let small = AmplifierConfiguration(budget: .small)
    public static let paper = AmplifierConfiguration(budget: .paper)
}
