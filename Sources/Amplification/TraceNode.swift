import Tasks

/// One question of an amplification as it was answered: the workspace, the supervisor's actions,
/// the answer, who gave it, and a child per sub-question. Recorded only when tracing is on.
public struct TraceNode: Hashable, Sendable, Codable {
    /// The question answered here.
    public var question: Content
    /// The index of the question's instance in the run's contexts.
    public var context: Int
    /// The final workspace, for nodes a supervisor worked on; `nil` for the others.
    public var workspace: Workspace?
    /// The supervisor's actions in order (the asks, then the answer).
    public var actions: [SupervisorAction]
    /// The answer given.
    public var answer: Content
    /// Who gave it.
    public var answeredBy: Agent
    /// One node per sub-question, in the order asked.
    public var children: [TraceNode]
    /// What this subtree cost: supervisor actions, leaf lookups, assistant questions, loops and
    /// budget exhaustions below and at this node. (Assistant calls are shared by a whole batch
    /// and are not attributed to nodes: they stay 0 here.)
    public var counters: AmplificationCounters

    public init(
        question: Content, context: Int, workspace: Workspace? = nil, actions: [SupervisorAction] = [],
        answer: Content, answeredBy: Agent, children: [TraceNode] = [],
        counters: AmplificationCounters = AmplificationCounters()
    ) {
        self.question = question
        self.context = context
        self.workspace = workspace
        self.actions = actions
        self.answer = answer
        self.answeredBy = answeredBy
        self.children = children
        self.counters = counters
    }

    /// The number of nodes in the tree.
    public var nodeCount: Int {
        children.reduce(1) { $0 + $1.nodeCount }
    }

    /// The length of the longest path from here down to a node without children (0 for a leaf).
    public var height: Int {
        children.map { $0.height + 1 }.max() ?? 0
    }
}
