import SeededRandom
import Tasks

/// The state of one lock-step amplification (one level): the workspaces, the budget left, the
/// counters, and the traces when on. Internal to ``Amplifier``.
struct AmplificationRun {
    /// One workspace and what the engine keeps beside it.
    struct Slot {
        var workspace: Workspace
        /// The workspace's own random stream (random leaves, the seeds of its queries).
        var rng: SplitMix64
        /// The questions above this workspace's question.
        let ancestry: Ancestry
        /// `ancestry` with this question appended, made at the first query it sends.
        var childAncestry: Ancestry?
        let context: Int
        var answer: Tokens?
    }

    /// What tracing records beside a slot (kept apart so the fast path never touches it).
    struct SlotTrace {
        var answeredBy: TraceNode.Agent
        var actions: [SupervisorAction] = []
        var children: [TraceNode] = []
        var assistantQuestions = 0
    }

    let task: any AmplificationTask
    let supervisor: any Supervisor
    let synchronousSupervisor: (any SynchronousSupervisor)?
    let assistant: any Assistant
    let policy: GroundTruthPolicy
    let budget: AmplificationBudget
    let tracing: Bool
    let contexts: [InstanceContext]
    let questionLength: Int
    let answerLength: Int
    let unknown: Tokens
    let supervisorAgent: TraceNode.Agent

    var slots: [Slot]
    /// One per slot when tracing, otherwise empty.
    var slotTraces: [SlotTrace] = []
    var live: [Int]
    var supervisorActionsLeft: Int
    var assistantCallsLeft: Int
    var counters = AmplificationCounters()

    init(amplifier: Amplifier, queries: [AssistantQuery], contexts: [InstanceContext], options: ReplyOptions) {
        task = amplifier.task
        supervisor = amplifier.supervisor
        synchronousSupervisor = amplifier.supervisor as? any SynchronousSupervisor
        assistant = amplifier.assistant
        policy = amplifier.configuration.groundTruth
        budget = amplifier.configuration.budget
        tracing = options.tracing
        self.contexts = contexts
        questionLength = task.questionLength
        answerLength = task.answerLength
        unknown = Tokens(repeating: 0, count: task.answerLength)
        supervisorAgent = .supervisor(supervisor.name)
        supervisorActionsLeft = options.supervisorActionsLeft
        assistantCallsLeft = options.assistantCallsLeft

        let capacity = min(task.interactionLength, budget.subquestionsPerWorkspace)
        slots = []
        slots.reserveCapacity(queries.count)
        for query in queries {
            precondition(
                contexts.indices.contains(query.context),
                "Amplifier.run: query context \(query.context) outside \(contexts.count) contexts")
            precondition(
                query.question.count == task.questionLength,
                "Amplifier.run: question \(query.question) has \(query.question.count) tokens, task '\(task.name)' "
                    + "expects \(task.questionLength)")
            var exchanges: [Exchange] = []
            exchanges.reserveCapacity(capacity)
            slots.append(
                Slot(
                    workspace: Workspace(
                        question: query.question, exchanges: exchanges, subquestionsLeft: budget.subquestionsPerWorkspace),
                    rng: SplitMix64(seed: query.seed), ancestry: query.ancestry, context: query.context))
        }
        if tracing {
            slotTraces = Array(repeating: SlotTrace(answeredBy: supervisorAgent), count: slots.count)
        }
        live = Array(slots.indices)
    }

    // MARK: - The loop

    mutating func runToCompletion() async throws {
        var pending: [AssistantQuery] = []
        var owners: [Int] = []
        while !live.isEmpty {
            pending.removeAll(keepingCapacity: true)
            owners.removeAll(keepingCapacity: true)
            try await takeActions(pending: &pending, owners: &owners)
            if !pending.isEmpty {
                try await askAssistant(pending, owners: owners)
            }
            compactLive()
        }
    }

    /// Drops the workspaces that have answered from `live`, keeping the order.
    private mutating func compactLive() {
        var kept = 0
        for position in live.indices where slots[live[position]].answer == nil {
            live[kept] = live[position]
            kept += 1
        }
        live.removeLast(live.count - kept)
    }

    /// One action for every live workspace (forced unknown answers past the action budget).
    private mutating func takeActions(pending: inout [AssistantQuery], owners: inout [Int]) async throws {
        let acting = min(live.count, supervisorActionsLeft)
        if let synchronous = synchronousSupervisor {
            try takeSynchronousActions(synchronous, acting: acting, pending: &pending, owners: &owners)
        } else if acting > 0 {
            let workspaces = live[0..<acting].map { slots[$0].workspace }
            let actions = try await supervisor.act(on: workspaces)
            guard actions.count == acting else {
                throw AmplificationError.resultCountMismatch(agent: supervisor.name, expected: acting, received: actions.count)
            }
            for position in 0..<acting {
                try apply(actions[position], to: live[position], pending: &pending, owners: &owners)
            }
        }
        for position in acting..<live.count {
            counters.budgetExhaustions += 1
            finish(live[position], answer: unknown, byBudget: true)
        }
    }

    /// The fast path: a supervisor that never suspends, called in a plain loop.
    private mutating func takeSynchronousActions(
        _ synchronous: any SynchronousSupervisor, acting: Int, pending: inout [AssistantQuery], owners: inout [Int]
    ) throws {
        for position in 0..<acting {
            let index = live[position]
            let action = synchronous.action(on: slots[index].workspace)
            try apply(action, to: index, pending: &pending, owners: &owners)
        }
    }

    private mutating func apply(
        _ action: SupervisorAction, to index: Int, pending: inout [AssistantQuery], owners: inout [Int]
    ) throws {
        supervisorActionsLeft -= 1
        counters.supervisorActions += 1
        if tracing { slotTraces[index].actions.append(action) }
        switch action {
        case .answer(let answer):
            guard answer.count == answerLength else {
                throw AmplificationError.malformedAction(
                    supervisor: supervisor.name, action: action, expectedLength: answerLength)
            }
            finish(index, answer: answer, byBudget: false)
        case .ask(let question):
            guard question.count == questionLength else {
                throw AmplificationError.malformedAction(
                    supervisor: supervisor.name, action: action, expectedLength: questionLength)
            }
            ask(question, from: index, pending: &pending, owners: &owners)
        }
    }

    private mutating func ask(_ question: Tokens, from index: Int, pending: inout [AssistantQuery], owners: inout [Int]) {
        guard slots[index].workspace.subquestionsLeft > 0 else {
            counters.budgetExhaustions += 1
            finish(index, answer: unknown, byBudget: true)
            return
        }
        slots[index].workspace.subquestionsLeft -= 1
        if task.isLeaf(question) {
            counters.leafLookups += 1
            var rng = slots[index].rng
            let answer = contexts[slots[index].context].oracleBox.oracle.leafAnswer(question, using: &rng) ?? unknown
            slots[index].rng = rng
            record(question, answer: answer, by: .leafLookup, for: index)
        } else if question == slots[index].workspace.question || slots[index].ancestry.contains(question) {
            counters.loopsDetected += 1
            record(question, answer: unknown, by: .loopDetection, for: index)
        } else if slots[index].ancestry.count >= budget.maximumDepth {
            counters.budgetExhaustions += 1
            record(question, answer: unknown, by: .budget, for: index)
        } else {
            let ancestry: Ancestry
            if let made = slots[index].childAncestry {
                ancestry = made
            } else {
                ancestry = slots[index].ancestry.appending(slots[index].workspace.question)
                slots[index].childAncestry = ancestry
            }
            let seed = slots[index].rng.next()
            pending.append(AssistantQuery(context: slots[index].context, question: question, seed: seed, ancestry: ancestry))
            owners.append(index)
        }
    }

    /// Sends the step's pending sub-questions to the assistant in one call and feeds back the answers.
    private mutating func askAssistant(_ pending: [AssistantQuery], owners: [Int]) async throws {
        guard assistantCallsLeft > 0 else {
            counters.budgetExhaustions += pending.count
            for (position, owner) in owners.enumerated() {
                record(pending[position].question, answer: unknown, by: .budget, for: owner)
            }
            return
        }
        assistantCallsLeft -= 1
        counters.assistantCalls += 1
        counters.assistantQuestions += pending.count
        let options = ReplyOptions(
            supervisorActionsLeft: supervisorActionsLeft, assistantCallsLeft: assistantCallsLeft, tracing: tracing)
        let (reply, consumed) = try await GroundTruthLedger.attributing { [assistant, contexts] in
            try await assistant.reply(to: pending, contexts: contexts, options: options)
        }
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
        let agent = TraceNode.Agent.assistant(assistant.name)
        for (position, owner) in owners.enumerated() {
            let answer = reply.answers[position]
            guard answer.count == answerLength else {
                throw AmplificationError.malformedAnswer(
                    assistant: assistant.name, answer: answer, expectedLength: answerLength)
            }
            if tracing, let traces = reply.traces, traces.count == pending.count {
                slots[owner].workspace.exchanges.append(Exchange(question: pending[position].question, answer: answer))
                slotTraces[owner].children.append(traces[position])
                slotTraces[owner].assistantQuestions += 1
            } else {
                record(pending[position].question, answer: answer, by: agent, for: owner)
            }
        }
    }

    // MARK: - Bookkeeping

    private mutating func record(_ question: Tokens, answer: Tokens, by agent: TraceNode.Agent, for index: Int) {
        slots[index].workspace.exchanges.append(Exchange(question: question, answer: answer))
        if tracing {
            var nodeCounters = AmplificationCounters()
            switch agent {
            case .leafLookup: nodeCounters.leafLookups = 1
            case .loopDetection: nodeCounters.loopsDetected = 1
            case .budget: nodeCounters.budgetExhaustions = 1
            case .assistant: nodeCounters.assistantQuestions = 1
            case .supervisor: break
            }
            slotTraces[index].children.append(
                TraceNode(
                    question: question, context: slots[index].context, answer: answer, answeredBy: agent,
                    counters: nodeCounters))
        }
    }

    /// Ends workspace `index` with `answer`, given by its supervisor or forced by a budget.
    private mutating func finish(_ index: Int, answer: Tokens, byBudget: Bool) {
        slots[index].answer = answer
        if tracing { slotTraces[index].answeredBy = byBudget ? .budget : supervisorAgent }
    }

    /// The answers, and the final workspaces when `includeWorkspaces` (a nested run used as an
    /// assistant does not need them).
    func result(includeWorkspaces: Bool = true) -> AmplificationResult {
        var answers: [Tokens] = []
        answers.reserveCapacity(slots.count)
        var workspaces: [Workspace] = []
        if includeWorkspaces { workspaces.reserveCapacity(slots.count) }
        for index in slots.indices {
            answers.append(slots[index].answer ?? unknown)
            if includeWorkspaces { workspaces.append(slots[index].workspace) }
        }
        return AmplificationResult(
            answers: answers, workspaces: workspaces, counters: counters,
            traces: tracing ? slots.indices.map(traceNode(for:)) : nil)
    }

    private func traceNode(for index: Int) -> TraceNode {
        let slot = slots[index]
        let trace = slotTraces[index]
        var nodeCounters = AmplificationCounters()
        nodeCounters.supervisorActions = trace.actions.count
        if case .budget = trace.answeredBy { nodeCounters.budgetExhaustions += 1 }
        nodeCounters.assistantQuestions = trace.assistantQuestions
        for child in trace.children {
            nodeCounters += child.counters
        }
        return TraceNode(
            question: slot.workspace.question, context: slot.context, workspace: slot.workspace, actions: trace.actions,
            answer: slot.answer ?? unknown, answeredBy: trace.answeredBy, children: trace.children, counters: nodeCounters)
    }
}
