import SeededRandom
import Tasks

/// One workspace of a run as a journal keeps it: everything the engine needs to go on from it
/// after a restart, and to show it (its trace) without the rest of the run in memory.
///
/// A run with a ``WorkspaceJournal`` hands the journal a snapshot of every workspace that changed,
/// after each turn (or each event, when a supervisor is concurrent); ``Amplifier/resume(_:contexts:supervisedBy:journal:)``
/// rebuilds the run from the latest snapshot of each. Snapshots are taken between actions, so an
/// action a supervisor was working on when the process died was never recorded: its workspace is
/// still `acting` and is offered again.
public struct WorkspaceSnapshot: Hashable, Sendable, Codable {
    /// Where a workspace is in its life.
    public enum State: String, Hashable, Sendable, Codable {
        /// Waiting for its supervisor's next action.
        case acting
        /// Waiting for the answer to the sub-question it asked.
        case waiting
        /// Done: its answer is final.
        case answered
    }

    /// What answered one exchange of the workspace.
    public enum Source: Hashable, Sendable, Codable {
        /// A workspace of this run, whose id is this one's child at the exchange's ordinal.
        case workspace
        /// The engine itself (a leaf lookup, a loop, a spent budget) or an assistant keeping no trace.
        case answered(Agent)
        /// An assistant that returned a trace of its own.
        case trace(TraceNode)
    }

    /// A sub-question sent to the assistant and not yet answered, with the seed it was given.
    public struct AssistantQuestion: Hashable, Sendable, Codable {
        public var question: Content
        public var seed: UInt64
    }

    public var id: WorkspaceID
    /// The index of the question's instance in the run's contexts.
    public var context: Int
    /// The index of the supervisor working it, in the amplifier's ``Amplifier/supervisors``.
    public var supervisor: Int
    /// What its supervisor sees.
    public var workspace: Workspace
    /// Its random stream, as it stands (leaf lookups and its sub-questions' seeds draw from it).
    public var random: SplitMix64
    /// Actions refused in a row, up to the current one.
    public var rejections: Int
    public var state: State
    /// `nil` until answered.
    public var answer: Content?
    /// Who answered it (its supervisor, or the budget); its supervisor until it is answered.
    public var answeredBy: Agent
    /// Its supervisor's actions in order, refused ones included.
    public var actions: [SupervisorAction]
    /// One per exchange of ``workspace``, in order.
    public var sources: [Source]
    /// The sub-question it waits for the assistant to answer, when it does.
    public var assistantQuestion: AssistantQuestion?
}

/// A run's counters and what is left of its budgets, kept with its snapshots: together they are
/// all a resumed run needs besides the instances.
public struct AmplificationProgress: Hashable, Sendable, Codable {
    public var counters: AmplificationCounters
    public var supervisorActionsLeft: Int
    public var assistantCallsLeft: Int

    public init(counters: AmplificationCounters, supervisorActionsLeft: Int, assistantCallsLeft: Int) {
        self.counters = counters
        self.supervisorActionsLeft = supervisorActionsLeft
        self.assistantCallsLeft = assistantCallsLeft
    }
}

/// Where a run's workspaces go as the tree grows, so that it can be resumed and shown while it
/// runs: the store, in ida; an array, in tests.
///
/// The engine calls ``record(_:progress:)`` with every workspace changed since the last call,
/// after each turn (each event, with a concurrent supervisor), and waits for it before going on,
/// so that what is recorded is always a state the run passed through. A journal that throws stops
/// the run with its error.
public protocol WorkspaceJournal: Sendable {
    func record(_ workspaces: [WorkspaceSnapshot], progress: AmplificationProgress) async throws
}

/// A run as its journal left it: the latest snapshot of each workspace, and its progress.
public struct SavedAmplification: Sendable, Codable {
    public var workspaces: [WorkspaceSnapshot]
    public var progress: AmplificationProgress

    public init(workspaces: [WorkspaceSnapshot], progress: AmplificationProgress) {
        self.workspaces = workspaces
        self.progress = progress
    }
}

extension TraceNode {
    /// The trace of `snapshot`'s workspace, with `child(id)` giving the trace of each of its
    /// exchanges answered by a workspace of the run (`nil` when that workspace is missing: it is
    /// shown as its exchange, answered by the supervisor).
    public init(
        _ snapshot: WorkspaceSnapshot, unknown: Content, child: (WorkspaceID) -> TraceNode?
    ) {
        var children: [TraceNode] = []
        children.reserveCapacity(snapshot.sources.count)
        var counters = AmplificationCounters()
        for (position, source) in snapshot.sources.enumerated() {
            let exchange = snapshot.workspace.exchanges[position]
            var leaf = AmplificationCounters()
            let agent: Agent
            switch source {
            case .workspace:
                if let node = child(snapshot.id.child(position + 1)) {
                    children.append(node)
                    continue
                }
                agent = snapshot.answeredBy
            case .trace(let nested):
                children.append(nested)
                counters.assistantQuestions += 1  // the question itself; its trace counts what is below
                continue
            case .answered(let answeredBy):
                agent = answeredBy
                switch answeredBy {
                case .leafLookup: leaf.leafLookups = 1
                case .loop: leaf.loopsDetected = 1
                case .budget: leaf.budgetExhaustions = 1
                default: leaf.assistantQuestions = 1
                }
            }
            children.append(
                TraceNode(
                    question: exchange.question, context: snapshot.context, answer: exchange.answer, answeredBy: agent,
                    counters: leaf))
        }
        counters.supervisorActions = snapshot.actions.count
        if case .budget = snapshot.answeredBy { counters.budgetExhaustions += 1 }
        for child in children {
            counters += child.counters
        }
        self.init(
            question: snapshot.workspace.question, context: snapshot.context, workspace: snapshot.workspace,
            actions: snapshot.actions, answer: snapshot.answer ?? unknown, answeredBy: snapshot.answeredBy,
            children: children, counters: counters)
    }

    /// The traces of the main questions among `snapshots` (those without a parent, in id order),
    /// each with everything below it.
    public static func trees(from snapshots: [WorkspaceSnapshot], unknown: Content) -> [TraceNode] {
        let builder = Builder(snapshots, unknown: unknown)
        return snapshots.filter { $0.id.parent == nil }.map(\.id).sorted().compactMap(builder.node)
    }

    /// The trace of node `id` with everything below it: a workspace among `snapshots`, or an
    /// exchange of one (a leaf lookup, an assistant's answer); `nil` when there is no such node.
    public static func tree(at id: WorkspaceID, from snapshots: [WorkspaceSnapshot], unknown: Content) -> TraceNode? {
        let builder = Builder(snapshots, unknown: unknown)
        // The nearest workspace at or above `id`, then down its trace by the remaining ordinals.
        var depth = id.depth
        var ancestor: WorkspaceID? = id
        while let current = ancestor, builder.snapshots[current] == nil {
            ancestor = current.parent
            depth -= 1
        }
        guard let ancestor, var node = builder.node(ancestor) else { return nil }
        for ordinal in id.path.dropFirst(depth + 1) {
            guard node.children.indices.contains(ordinal - 1) else { return nil }
            node = node.children[ordinal - 1]
        }
        return node
    }

    private struct Builder {
        let snapshots: [WorkspaceID: WorkspaceSnapshot]
        let unknown: Content

        init(_ list: [WorkspaceSnapshot], unknown: Content) {
            var byID: [WorkspaceID: WorkspaceSnapshot] = [:]
            for snapshot in list { byID[snapshot.id] = snapshot }
            snapshots = byID
            self.unknown = unknown
        }

        func node(_ id: WorkspaceID) -> TraceNode? {
            snapshots[id].map { TraceNode($0, unknown: unknown, child: node) }
        }
    }
}
