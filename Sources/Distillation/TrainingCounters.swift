import Amplification

/// What a run has consumed so far (training only: evaluation's own amplifications are not
/// counted here, they cost nothing the method is charged for).
///
/// What making the targets spent in the engine is the engine's own counters
/// (``amplification``), summed over every generation, not a copy of some of their fields.
public struct TrainingCounters: Codable, Sendable, Hashable {
    /// Adam steps taken.
    public var steps = 0
    /// Questions trained on, with repetition.
    public var examples = 0
    /// Instances generated into the buffer.
    public var instancesGenerated = 0
    /// (question, target) pairs generated.
    public var targetsGenerated = 0
    /// What Amp(H, X) spent making the targets: H's actions, leaf lookups, calls of the teacher X,
    /// loops, budgets, refused actions (zero for the supervised baseline).
    public var amplification = AmplificationCounters()
    /// Ground-truth answers consumed as training labels: 0 in IA (checked with the ledger after
    /// every generation), one per target in the supervised baseline.
    public var groundTruthLabels = 0
    /// Calls of the real expert H: every supervisor action when H makes the targets; with H′
    /// (``DistillationConfiguration/asker``) only the actions of H's demonstrations.
    public var expertCalls = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case steps, examples, instancesGenerated, targetsGenerated, amplification, groundTruthLabels, expertCalls
        /// Checkpoints written before the engine's counters were kept whole held these three.
        case supervisorActions, leafLookups, assistantCalls
    }

    /// Decodes counters stored before a field existed: a missing field reads 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func value(_ key: CodingKeys) throws -> Int { try container.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        steps = try value(.steps)
        examples = try value(.examples)
        instancesGenerated = try value(.instancesGenerated)
        targetsGenerated = try value(.targetsGenerated)
        if let amplification = try container.decodeIfPresent(AmplificationCounters.self, forKey: .amplification) {
            self.amplification = amplification
        } else {
            amplification.supervisorActions = try value(.supervisorActions)
            amplification.leafLookups = try value(.leafLookups)
            amplification.assistantCalls = try value(.assistantCalls)
        }
        groundTruthLabels = try value(.groundTruthLabels)
        expertCalls = try value(.expertCalls)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(steps, forKey: .steps)
        try container.encode(examples, forKey: .examples)
        try container.encode(instancesGenerated, forKey: .instancesGenerated)
        try container.encode(targetsGenerated, forKey: .targetsGenerated)
        try container.encode(amplification, forKey: .amplification)
        try container.encode(groundTruthLabels, forKey: .groundTruthLabels)
        try container.encode(expertCalls, forKey: .expertCalls)
    }
}
