/// What an amplification spent, summed over every level of recursion.
///
/// A value: a nested run reports its counters in its ``AssistantReply`` and the caller adds them
/// to its own, so the counters of an HCH run cover the whole tree.
public struct AmplificationCounters: Hashable, Sendable, Codable {
    /// Calls of the supervisor's policy (one per action taken, cache hits included).
    public var supervisorActions = 0
    /// Leaf sub-questions answered by one lookup in the facts.
    public var leafLookups = 0
    /// Batched calls made to an assistant.
    public var assistantCalls = 0
    /// Questions sent to an assistant, over all its calls.
    public var assistantQuestions = 0
    /// Ground-truth answers consumed through an ``InstanceContext`` (0 in every honest
    /// amplification; the check of ``GroundTruthPolicy/forbidden`` fires otherwise).
    public var groundTruthAnswers = 0
    /// Sub-questions answered unknown because they reappeared in their own ancestry.
    public var loopsDetected = 0
    /// Workspaces or sub-questions answered unknown because a budget ran out.
    public var budgetExhaustions = 0
    /// Actions refused and asked again (see ``Workspace/rejection``); the workspaces that ran out
    /// of chances are also counted in ``budgetExhaustions``.
    public var rejectedActions = 0

    public init() {}

    public static func + (lhs: AmplificationCounters, rhs: AmplificationCounters) -> AmplificationCounters {
        var sum = lhs
        sum += rhs
        return sum
    }

    public static func += (lhs: inout AmplificationCounters, rhs: AmplificationCounters) {
        lhs.supervisorActions += rhs.supervisorActions
        lhs.leafLookups += rhs.leafLookups
        lhs.assistantCalls += rhs.assistantCalls
        lhs.assistantQuestions += rhs.assistantQuestions
        lhs.groundTruthAnswers += rhs.groundTruthAnswers
        lhs.loopsDetected += rhs.loopsDetected
        lhs.budgetExhaustions += rhs.budgetExhaustions
        lhs.rejectedActions += rhs.rejectedActions
    }
}

extension AmplificationCounters: CustomStringConvertible {
    /// `supervisor actions 120, leaf lookups 64, assistant calls 7 (40 questions), ground truth 0, loops 0, budget 0,
    /// rejected 0`
    public var description: String {
        "supervisor actions \(supervisorActions), leaf lookups \(leafLookups), "
            + "assistant calls \(assistantCalls) (\(assistantQuestions) questions), "
            + "ground truth \(groundTruthAnswers), loops \(loopsDetected), budget \(budgetExhaustions), "
            + "rejected \(rejectedActions)"
    }
}

extension AmplificationCounters {
    enum CodingKeys: String, CodingKey {
        case supervisorActions, leafLookups, assistantCalls, assistantQuestions, groundTruthAnswers, loopsDetected
        case budgetExhaustions, rejectedActions
    }

    /// Reads counters stored before `rejectedActions` existed as 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        supervisorActions = try container.decode(Int.self, forKey: .supervisorActions)
        leafLookups = try container.decode(Int.self, forKey: .leafLookups)
        assistantCalls = try container.decode(Int.self, forKey: .assistantCalls)
        assistantQuestions = try container.decode(Int.self, forKey: .assistantQuestions)
        groundTruthAnswers = try container.decode(Int.self, forKey: .groundTruthAnswers)
        loopsDetected = try container.decode(Int.self, forKey: .loopsDetected)
        budgetExhaustions = try container.decode(Int.self, forKey: .budgetExhaustions)
        rejectedActions = try container.decodeIfPresent(Int.self, forKey: .rejectedActions) ?? 0
    }
}
