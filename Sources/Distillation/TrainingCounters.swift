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
    /// Calls of the real expert H: every supervisor action when H makes the targets; with H′
    /// (``DistillationConfiguration/asker``) only the actions of H's demonstrations.
    public var expertCalls = 0

    public init() {}

    /// Decodes counters stored before a field existed: a missing field reads 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func value(_ key: CodingKeys) throws -> Int { try container.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        steps = try value(.steps)
        examples = try value(.examples)
        instancesGenerated = try value(.instancesGenerated)
        targetsGenerated = try value(.targetsGenerated)
        supervisorActions = try value(.supervisorActions)
        leafLookups = try value(.leafLookups)
        assistantCalls = try value(.assistantCalls)
        groundTruthLabels = try value(.groundTruthLabels)
        expertCalls = try value(.expertCalls)
    }
}
