import SeededRandom
import Tasks

/// The state of one amplification: every workspace of the run in one tree, the budget left, the
/// counters, and the traces when on. Internal to ``Amplifier``.
///
/// The supervisor works the main questions and, down to ``Amplifier/supervisedDepth``, the
/// sub-questions they lead to, each in a workspace of its own (a node); what is asked deeper goes
/// to the assistant. No level waits inside another's call, so the whole state of a run is this
/// tree. When every supervisor is synchronous or batched, the tree is worked in turns, each ending
/// with every sub-question of the turn that goes to the assistant in one batched call: every
/// workspace ready to act acts once (a batched supervisor gets them all in one call), except that
/// a single synchronous supervisor working sub-workspaces (HCH, the fast path) works each ready
/// workspace depth first until it has answered or waits for the assistant. With a
/// ``ConcurrentSupervisor`` the tree moves as calls come back instead
/// (`AmplificationTree+Events.swift`). A workspace answers its question, or asks
/// one sub-question and waits for its answer before it acts again. An action the task cannot read
/// goes back to the workspace with the reason (``Workspace/rejection``), a bounded number of times
/// in a row. With a ``WorkspaceJournal``, the workspaces changed by a turn (or an event) are
/// snapshotted and recorded before the run goes on, and a run can be rebuilt from its snapshots
/// (``restoring(_:amplifier:contexts:journal:)``).
struct AmplificationTree {
    /// One workspace and what the engine keeps beside it.
    struct Node {
        var workspace: Workspace
        /// The workspace's own random stream (random leaves, the seeds of its sub-questions).
        var rng: SplitMix64
        /// The questions above this workspace's question.
        let ancestry: Ancestry
        /// `ancestry` with this question appended, made at the first sub-question that needs it.
        var childAncestry: Ancestry?
        let context: Int
        /// The node whose sub-question this one answers, and the position of that exchange in
        /// the parent's workspace; a main question has no parent, and its query's position.
        let parent: Int?
        let position: Int
        /// 0 for a main question.
        let depth: Int
        /// The index of the supervisor working it (its main question's).
        let supervisor: Int
        var answer: Content?
        /// Actions refused in a row, up to the current one.
        var rejections = 0
    }

    /// What tracing records beside a node (kept apart so the fast path never touches it).
    struct NodeTrace {
        var answeredBy: Agent
        var actions: [SupervisorAction] = []
        /// One per exchange of the workspace, in order.
        var sources: [Source] = []
    }

    /// What answered one exchange of a workspace.
    enum Source {
        /// The engine itself (a leaf lookup, a loop, a spent budget) or an assistant that keeps no
        /// trace, with what it cost.
        case answered(Agent)
        /// The node working the sub-question.
        case node(Int)
        /// An assistant that returned a trace of its own.
        case trace(TraceNode)
    }

    let domain: any Domain
    let supervisors: [any Supervisor]
    /// Per supervisor, itself when it answers at once (the fast path), else `nil`.
    let synchronousSupervisors: [(any SynchronousSupervisor)?]
    let assistant: any Assistant
    let supervisedDepth: Int
    let policy: GroundTruthPolicy
    let budget: AmplificationBudget
    let tracing: Bool
    let contexts: [InstanceContext]
    /// The contexts' hidden worlds, for the engine's leaf lookups: reading one through
    /// `contexts[i]` copied the whole context (a retain and a release of each array it holds) per
    /// lookup.
    let worlds: [WorldBox]
    let unknown: Content
    let supervisorAgents: [Agent]
    /// The main questions are nodes `0..<roots`.
    var roots: Int
    let journal: (any WorkspaceJournal)?
    /// `journal != nil`, kept apart: testing the existential on the fast path copies it (a
    /// retain and a release per action).
    let journaling: Bool
    /// Nodes changed since the journal last recorded (only with a journal).
    var changed: Set<Int> = []
    /// The sub-question each node waits for the assistant to answer (only with a journal).
    var waitingOnAssistant: [Int: AssistantQuery] = [:]
    /// The questions of the assistant call in flight, which the journal's progress leaves out: a
    /// resumed run asks them again (events only; a turn ends with its call answered).
    var assistantQuestionsInFlight: Int?

    var nodes: [Node]
    /// One per node when tracing, otherwise empty.
    var traces: [NodeTrace] = []
    /// The nodes that act in the current turn, and those that will in the next.
    var acting: [Int]
    var next: [Int] = []
    /// Answered sub-workspaces' nodes, free for new ones (when not tracing).
    var freeNodes: [Int] = []
    /// The sub-questions for the assistant not yet sent, and the node waiting for each.
    var pending: [AssistantQuery] = []
    var owners: [Int] = []
    var supervisorActionsLeft: Int
    var assistantCallsLeft: Int
    var counters = AmplificationCounters()

    /// - Precondition: `supervisedBy`, when given, has one valid supervisor index per query.
    init(
        amplifier: Amplifier, queries: [AssistantQuery], contexts: [InstanceContext], options: ReplyOptions,
        supervisedBy: [Int]? = nil, journal: (any WorkspaceJournal)? = nil
    ) {
        domain = amplifier.domain
        supervisors = amplifier.supervisors
        synchronousSupervisors = amplifier.supervisors.map { $0 as? any SynchronousSupervisor }
        assistant = amplifier.assistant
        supervisedDepth = amplifier.supervisedDepth
        policy = amplifier.configuration.groundTruth
        budget = amplifier.configuration.budget
        // A journal records each workspace's actions and sources, which only tracing keeps.
        tracing = options.tracing || journal != nil
        self.journal = journal
        journaling = journal != nil
        self.contexts = contexts
        worlds = contexts.map(\.worldBox)
        unknown = amplifier.domain.unknownAnswer
        supervisorAgents = amplifier.supervisors.map(\.agent)
        supervisorActionsLeft = options.supervisorActionsLeft
        assistantCallsLeft = options.assistantCallsLeft
        roots = queries.count

        if let supervisedBy {
            precondition(
                supervisedBy.count == queries.count && supervisedBy.allSatisfy(amplifier.supervisors.indices.contains),
                "Amplifier.run: supervisedBy needs one index into \(amplifier.supervisors.count) supervisors per query")
        }
        nodes = []
        nodes.reserveCapacity(queries.count)
        for (position, query) in queries.enumerated() {
            precondition(
                contexts.indices.contains(query.context),
                "Amplifier.run: query context \(query.context) outside \(contexts.count) contexts")
            if let rejection = domain.rejection(of: .ask(query.question)), rejection.isMalformed {
                preconditionFailure("Amplifier.run: question \(query.question) is not one of '\(domain.name)': \(rejection)")
            }
            nodes.append(
                Node(
                    workspace: Self.workspace(for: query.question, budget: budget, domain: domain),
                    rng: SplitMix64(seed: query.seed), ancestry: query.ancestry, context: query.context, parent: nil,
                    position: position, depth: 0, supervisor: supervisedBy?[position] ?? 0))
        }
        acting = Array(nodes.indices)
        if tracing {
            let agents = supervisorAgents
            traces = nodes.map { NodeTrace(answeredBy: agents[$0.supervisor]) }
        }
        if journaling { changed = Set(nodes.indices) }
    }

    private static func workspace(for question: Content, budget: AmplificationBudget, domain: any Domain) -> Workspace {
        var exchanges: [Exchange] = []
        exchanges.reserveCapacity(min(domain.typicalExchanges, budget.subquestionsPerWorkspace))
        return Workspace(question: question, exchanges: exchanges, subquestionsLeft: budget.subquestionsPerWorkspace)
    }

    // MARK: - The loop

    /// Works until every main question is answered: in turns when every supervisor is
    /// synchronous or batched, else as events arrive (``runAsEventsArrive()``).
    mutating func runToCompletion() async throws {
        if supervisors.contains(where: { $0 is any ConcurrentSupervisor }) {
            try await runAsEventsArrive()
            return
        }
        var questions: [AssistantQuery] = []
        var waiting: [Int] = []
        try await recordChanges()
        // A resumed run can start with questions for the assistant and no workspace acting.
        while !acting.isEmpty || !pending.isEmpty {
            next.removeAll(keepingCapacity: true)
            try await takeActions()
            if !pending.isEmpty {
                // Swapped out and back, so that both arrays keep their capacity from turn to turn.
                swap(&questions, &pending)
                swap(&waiting, &owners)
                try await askAssistant(questions, owners: waiting)
                questions.removeAll(keepingCapacity: true)
                waiting.removeAll(keepingCapacity: true)
            }
            swap(&acting, &next)
            try await recordChanges()
        }
    }

    /// One action for every acting workspace (forced unknown answers past the action budget): the
    /// synchronous supervisors' in a plain loop, each other supervisor's in one batched call.
    private mutating func takeActions() async throws {
        if supervisors.count == 1, let synchronous = synchronousSupervisors[0] {
            takeSynchronousActions(synchronous)
            return
        }
        let actingCount = min(acting.count, supervisorActionsLeft)
        if actingCount > 0 {
            for supervisor in supervisors.indices {
                let indices = acting[0..<actingCount].filter { nodes[$0].supervisor == supervisor }
                guard !indices.isEmpty else { continue }
                let actions = try await act(supervisor, on: indices)
                for (index, action) in zip(indices, actions) {
                    apply(action, to: index)
                }
            }
        }
        for position in actingCount..<acting.count {
            exhaust(acting[position])
        }
    }

    /// The fast path: a supervisor that never suspends, called in a plain synchronous loop (so
    /// nothing lives in an async frame).
    ///
    /// Where it works sub-workspaces (HCH), it works every acting workspace depth first, until
    /// each has answered or waits for the assistant: a workspace ready again after an action (a
    /// sub-question answered at once, a new sub-workspace, a sub-workspace's answer, a refusal)
    /// acts at once, so it is worked while it is in the cache, as a recursion would; only the
    /// assistant's questions wait, for the turn's one call. Where the assistant is right below
    /// (Amp(H, X), what distillation amplifies), each acting workspace acts once, as for any
    /// supervisor, so the assistant's calls (a trained model's batches, and so its samples) are
    /// the same whichever kind of supervisor acts. Past the action budget, workspaces are
    /// answered unknown.
    ///
    /// The workspace is moved out of its node for the call and back: passed as
    /// `nodes[index].workspace`, it was copied (a retain and a release of each of its arrays,
    /// through the runtime's generic copy) at every action, a tenth of the engine's time.
    private mutating func takeSynchronousActions(_ synchronous: any SynchronousSupervisor) {
        var workspace = Workspace(question: [], subquestionsLeft: 0)
        guard supervisedDepth > 0 else {
            let count = min(acting.count, supervisorActionsLeft)
            for position in 0..<count {
                let index = acting[position]
                swap(&workspace, &nodes[index].workspace)
                let action = synchronous.action(on: workspace)
                swap(&workspace, &nodes[index].workspace)
                apply(action, to: index)
            }
            for position in count..<acting.count {
                exhaust(acting[position])
            }
            return
        }
        // `next` serves as the stack of the depth-first walk: it is empty again at the end of
        // the turn, but for the workspaces the assistant's answers will bring back.
        for position in acting.indices {
            next.append(acting[position])
            while let index = next.popLast() {
                guard supervisorActionsLeft > 0 else {
                    exhaust(index)
                    continue
                }
                swap(&workspace, &nodes[index].workspace)
                let action = synchronous.action(on: workspace)
                swap(&workspace, &nodes[index].workspace)
                apply(action, to: index)
            }
        }
    }

    /// Supervisor `supervisor`'s actions on the workspaces of `indices`, in one call.
    private func act(_ supervisor: Int, on indices: [Int]) async throws -> [SupervisorAction] {
        if let synchronous = synchronousSupervisors[supervisor] {
            return indices.map { synchronous.action(on: nodes[$0].workspace) }
        }
        return try await Self.act(supervisors[supervisor], on: indices.map { nodes[$0].workspace })
    }

    /// `supervisor`'s actions on `workspaces`, checked to be one each.
    static func act(_ supervisor: any Supervisor, on workspaces: [Workspace]) async throws -> [SupervisorAction] {
        let actions = try await supervisor.act(on: workspaces)
        guard actions.count == workspaces.count else {
            throw AmplificationError.resultCountMismatch(
                agent: supervisor.name, expected: workspaces.count, received: actions.count)
        }
        return actions
    }

    mutating func apply(_ action: SupervisorAction, to index: Int) {
        if journaling { changed.insert(index) }
        supervisorActionsLeft -= 1
        counters.supervisorActions += 1
        if tracing { traces[index].actions.append(action) }
        if let rejection = domain.rejection(of: action) {
            reject(index, because: rejection)
            return
        }
        if nodes[index].rejections > 0 {
            nodes[index].workspace.rejection = nil
            nodes[index].rejections = 0
        }
        switch action {
        case .answer(let answer):
            finish(index, answer: answer, byBudget: false)
        case .ask(let question):
            ask(question, from: index)
        }
    }

    /// Gives workspace `index` its refused action back with the reason, to act again next turn,
    /// or answers it unknown once it has used up its chances.
    private mutating func reject(_ index: Int, because rejection: ActionRejection) {
        counters.rejectedActions += 1
        guard nodes[index].rejections < budget.retriesPerAction else {
            exhaust(index)
            return
        }
        nodes[index].rejections += 1
        nodes[index].workspace.rejection = rejection
        next.append(index)
    }

    /// Answers `question` at once where the engine can (a leaf, a loop, a spent budget), or gives
    /// it to a new node or the assistant, which the workspace then waits for.
    private mutating func ask(_ question: Content, from index: Int) {
        guard nodes[index].workspace.subquestionsLeft > 0 else {
            exhaust(index)
            return
        }
        nodes[index].workspace.subquestionsLeft -= 1
        if domain.isLeaf(question) {
            counters.leafLookups += 1
            var rng = nodes[index].rng
            let answer = worlds[nodes[index].context].world.leafAnswer(question, using: &rng) ?? unknown
            nodes[index].rng = rng
            record(question, answer: answer, by: .leafLookup, for: index)
            next.append(index)
        } else if question == nodes[index].workspace.question || nodes[index].ancestry.contains(question) {
            counters.loopsDetected += 1
            record(question, answer: unknown, by: .loop, for: index)
            next.append(index)
        } else if nodes[index].ancestry.count >= budget.maximumDepth {
            counters.budgetExhaustions += 1
            record(question, answer: unknown, by: .budget, for: index)
            next.append(index)
        } else {
            let ancestry = childAncestry(of: index)
            let seed = nodes[index].rng.next()
            if nodes[index].depth < supervisedDepth {
                open(question, seed: seed, ancestry: ancestry, under: index)
            } else {
                let query = AssistantQuery(
                    context: nodes[index].context, question: question, seed: seed, ancestry: ancestry)
                pending.append(query)
                owners.append(index)
                if journaling { waitingOnAssistant[index] = query }
            }
        }
    }

    mutating func childAncestry(of index: Int) -> Ancestry {
        if let made = nodes[index].childAncestry { return made }
        let made = nodes[index].ancestry.appending(nodes[index].workspace.question)
        nodes[index].childAncestry = made
        return made
    }

    /// A new node for `question`, asked by `parent`, which waits for its answer.
    private mutating func open(_ question: Content, seed: UInt64, ancestry: Ancestry, under parent: Int) {
        let position = nodes[parent].workspace.exchanges.count
        nodes[parent].workspace.exchanges.append(Exchange(question: question, answer: unknown))
        let child: Int
        if let free = freeNodes.popLast() {
            // A free node keeps its emptied exchanges' storage (see `finish`): reused, not
            // allocated again.
            child = free
            var exchanges: [Exchange] = []
            swap(&exchanges, &nodes[child].workspace.exchanges)
            nodes[child] = Node(
                workspace: Workspace(question: question, exchanges: exchanges, subquestionsLeft: budget.subquestionsPerWorkspace),
                rng: SplitMix64(seed: seed), ancestry: ancestry, context: nodes[parent].context, parent: parent,
                position: position, depth: nodes[parent].depth + 1, supervisor: nodes[parent].supervisor)
        } else {
            child = nodes.count
            nodes.append(
                Node(
                    workspace: Self.workspace(for: question, budget: budget, domain: domain),
                    rng: SplitMix64(seed: seed), ancestry: ancestry, context: nodes[parent].context, parent: parent,
                    position: position, depth: nodes[parent].depth + 1, supervisor: nodes[parent].supervisor))
        }
        if tracing {
            traces[parent].sources.append(.node(child))
            traces.append(NodeTrace(answeredBy: supervisorAgents[nodes[parent].supervisor]))
        }
        if journaling { changed.insert(child) }
        next.append(child)
    }

    /// Sends the turn's sub-questions for the assistant in one call and feeds back the answers.
    private mutating func askAssistant(_ pending: [AssistantQuery], owners: [Int]) async throws {
        guard let options = startAssistantCall(pending, owners: owners) else { return }
        let (reply, consumed) = try await Self.callAssistant(assistant, pending, contexts: contexts, options: options)
        try receive(reply, consumed: consumed, for: pending, owners: owners)
    }

    /// Counts a call of the assistant on `pending` and returns the options to pass, or answers
    /// them unknown when the call budget is spent (and returns `nil`).
    mutating func startAssistantCall(_ pending: [AssistantQuery], owners: [Int]) -> ReplyOptions? {
        guard assistantCallsLeft > 0 else {
            counters.budgetExhaustions += pending.count
            for (position, owner) in owners.enumerated() {
                record(pending[position].question, answer: unknown, by: .budget, for: owner)
                next.append(owner)
            }
            return nil
        }
        assistantCallsLeft -= 1
        counters.assistantCalls += 1
        counters.assistantQuestions += pending.count
        return ReplyOptions(
            supervisorActionsLeft: supervisorActionsLeft, assistantCallsLeft: assistantCallsLeft, tracing: tracing)
    }

    /// One call of `assistant`, with the ground truth read during it (and only by it).
    static func callAssistant(
        _ assistant: any Assistant, _ pending: [AssistantQuery], contexts: [InstanceContext], options: ReplyOptions
    ) async throws -> (result: AssistantReply, consumed: Int) {
        try await GroundTruthLedger.attributing {
            try await assistant.reply(to: pending, contexts: contexts, options: options)
        }
    }

    /// Checks an assistant's reply and feeds the answers back to the workspaces waiting for them.
    mutating func receive(_ reply: AssistantReply, consumed: Int, for pending: [AssistantQuery], owners: [Int]) throws {
        if consumed > 0 && policy == .forbidden {
            throw AmplificationError.groundTruthReachedAnswer(count: consumed, assistant: assistant.name)
        }
        guard reply.answers.count == pending.count else {
            throw AmplificationError.resultCountMismatch(
                agent: assistant.name, expected: pending.count, received: reply.answers.count)
        }
        var nested = reply.counters
        nested.groundTruthAnswers = consumed  // the ledger, not the assistant's word, is authoritative
        counters += nested
        supervisorActionsLeft = max(0, supervisorActionsLeft - nested.supervisorActions)
        assistantCallsLeft = max(0, assistantCallsLeft - nested.assistantCalls)
        let agent = assistant.agent
        let replyTraces = tracing ? reply.traces.flatMap { $0.count == pending.count ? $0 : nil } : nil
        for (position, owner) in owners.enumerated() {
            let answer = reply.answers[position]
            // An assistant's answer is trusted but for its shape (kind and length), which the
            // domain knows.
            if let rejection = domain.rejection(of: .answer(answer)), rejection.isMalformed {
                throw AmplificationError.malformedAnswer(assistant: assistant.name, answer: answer, reason: rejection)
            }
            nodes[owner].workspace.exchanges.append(Exchange(question: pending[position].question, answer: answer))
            if journaling {
                changed.insert(owner)
                waitingOnAssistant[owner] = nil
            }
            if tracing {
                traces[owner].sources.append(replyTraces.map { .trace($0[position]) } ?? .answered(agent))
            }
            next.append(owner)
        }
    }

    // MARK: - Bookkeeping

    private mutating func record(_ question: Content, answer: Content, by agent: Agent, for index: Int) {
        if journaling {
            changed.insert(index)
            waitingOnAssistant[index] = nil
        }
        nodes[index].workspace.exchanges.append(Exchange(question: question, answer: answer))
        if tracing { traces[index].sources.append(.answered(agent)) }
    }

    /// Answers node `index` unknown because a budget ran out (the run's actions, the node's
    /// sub-questions, its chances to correct a refused action).
    mutating func exhaust(_ index: Int) {
        counters.budgetExhaustions += 1
        finish(index, answer: unknown, byBudget: true)
    }

    /// Ends node `index` with `answer`, given by its supervisor or forced by a budget, and hands
    /// the answer to the workspace that asked for it.
    mutating func finish(_ index: Int, answer: Content, byBudget: Bool) {
        nodes[index].answer = answer
        if tracing { traces[index].answeredBy = byBudget ? .budget : supervisorAgents[nodes[index].supervisor] }
        if journaling { changed.insert(index) }
        guard let parent = nodes[index].parent else { return }
        if journaling { changed.insert(parent) }
        nodes[parent].workspace.exchanges[nodes[index].position].answer = answer
        next.append(parent)
        if !tracing {
            // Nothing reads an answered sub-workspace again (only a trace would): its node is
            // reused for the next one, its exchanges' storage with it, so the tree's memory stays
            // that of its open workspaces and a new sub-workspace allocates nothing.
            nodes[index].workspace.question = unknown
            nodes[index].workspace.exchanges.removeAll(keepingCapacity: true)
            nodes[index].childAncestry = nil
            freeNodes.append(index)
        }
    }

    /// The main questions' answers, and their final workspaces when `includeWorkspaces` (a nested
    /// run used as an assistant does not need them).
    func result(includeWorkspaces: Bool = true) -> AmplificationResult {
        var answers: [Content] = []
        answers.reserveCapacity(roots)
        var workspaces: [Workspace] = []
        if includeWorkspaces { workspaces.reserveCapacity(roots) }
        for index in 0..<roots {
            answers.append(nodes[index].answer ?? unknown)
            if includeWorkspaces { workspaces.append(nodes[index].workspace) }
        }
        return AmplificationResult(
            answers: answers, workspaces: workspaces, counters: counters,
            traces: tracing ? (0..<roots).map(traceNode(for:)) : nil)
    }

    private func traceNode(for index: Int) -> TraceNode {
        TraceNode(snapshot(of: index), unknown: unknown) { id in
            guard case .node(let child) = traces[index].sources[id.path[id.path.count - 1] - 1] else { return nil }
            return traceNode(for: child)
        }
    }
}
