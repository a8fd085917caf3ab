/// The limits of one amplification, enforced by the ``Amplifier`` over every level of recursion.
///
/// When a limit is reached the engine does not throw: the workspace or sub-question concerned is
/// answered unknown (all `?`), and ``AmplificationCounters/budgetExhaustions`` counts it. A run
/// with a budget therefore always finishes with an answer for every question, and an
/// unknown answer is the honest "could not work it out within budget" (it is also what HCH_0
/// answers to a question it cannot decompose).
public struct AmplificationBudget: Hashable, Sendable, Codable {
    /// Sub-questions one workspace may ask. 16: the most any expert asks is 9 (shortest path and
    /// union find, reference §3), with room for a supervisor that asks more than the script.
    public var subquestionsPerWorkspace: Int

    /// The deepest recursion: a sub-question whose ancestry would exceed it is answered unknown.
    /// 64: above any question depth of the paper configuration (shortest-path distances reach 13).
    public var maximumDepth: Int

    /// Supervisor actions in the whole run, all levels together. `Int.max`: unbounded by default;
    /// set it when the supervisor is a person or a paid model.
    public var supervisorActions: Int

    /// Assistant calls in the whole run, all levels together. `Int.max`: unbounded by default.
    public var assistantCalls: Int
    /// How many times in a row a workspace's refused action (see ``Workspace/rejection``) is asked
    /// again before the workspace is answered unknown. 2: a supervisor that misread the format
    /// gets two more chances for each action.
    public var retriesPerAction: Int

    public init(
        subquestionsPerWorkspace: Int = 16, maximumDepth: Int = 64, supervisorActions: Int = .max,
        assistantCalls: Int = .max, retriesPerAction: Int = 2
    ) {
        precondition(
            subquestionsPerWorkspace >= 0 && maximumDepth >= 0 && supervisorActions >= 0 && assistantCalls >= 0
                && retriesPerAction >= 0,
            "AmplificationBudget: limits must be non-negative, subquestions \(subquestionsPerWorkspace), "
                + "depth \(maximumDepth), actions \(supervisorActions), calls \(assistantCalls), "
                + "rejections \(retriesPerAction)")
        self.subquestionsPerWorkspace = subquestionsPerWorkspace
        self.maximumDepth = maximumDepth
        self.supervisorActions = supervisorActions
        self.assistantCalls = assistantCalls
        self.retriesPerAction = retriesPerAction
    }

    /// Unit tests: small enough that a runaway supervisor stops in milliseconds.
    public static let tiny = AmplificationBudget(
        subquestionsPerWorkspace: 12, maximumDepth: 16, supervisorActions: 1_000_000, assistantCalls: 100_000)

    /// The default demo: every expert fits, no global cap (the expert always terminates).
    public static let small = AmplificationBudget()

    /// The paper configuration: 64-element instances keep every depth below 64.
    public static let paper = AmplificationBudget()
}

extension AmplificationBudget {
    enum CodingKeys: String, CodingKey {
        case subquestionsPerWorkspace, maximumDepth, supervisorActions, assistantCalls, retriesPerAction
    }

    /// Reads budgets stored before `retriesPerAction` existed with its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let subquestions = try container.decode(Int.self, forKey: .subquestionsPerWorkspace)
        let depth = try container.decode(Int.self, forKey: .maximumDepth)
        let actions = try container.decode(Int.self, forKey: .supervisorActions)
        let calls = try container.decode(Int.self, forKey: .assistantCalls)
        let rejections = try container.decodeIfPresent(Int.self, forKey: .retriesPerAction) ?? 2
        guard subquestions >= 0, depth >= 0, actions >= 0, calls >= 0, rejections >= 0 else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "a budget limit is negative"))
        }
        self.init(
            subquestionsPerWorkspace: subquestions, maximumDepth: depth, supervisorActions: actions,
            assistantCalls: calls, retriesPerAction: rejections)
    }
}
