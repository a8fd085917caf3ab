/// What a run has consumed so far (training only: evaluation's own amplifications are not
/// counted here, they cost nothing the method is charged for).
public struct TrainingCounters: Codable, Sendable, Hashable {
    /// Adam steps taken.
    public var steps = 0
    /// Questions trained on, with repetition.
    public var examples = 0
    /// Instances generated into the buffer.
    public var instancesGenerated = 0
    /// (question, target) pairs generated.
    public var targetsGenerated = 0
    /// Calls of H's policy while making targets.
    public var supervisorActions = 0
    /// Leaf sub-questions answered by one fact lookup while making targets.
    public var leafLookups = 0
    /// Batched calls to the teacher inside Amp(H, X).
    public var assistantCalls = 0
    /// Ground-truth answers consumed as training labels: 0 in IA (checked with the ledger after
    /// every generation), one per target in the supervised baseline.
    public var groundTruthLabels = 0

    public init() {}
}
