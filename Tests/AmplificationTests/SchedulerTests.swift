import Amplification
import Foundation
import Synchronization
import IDATestSupport
import Tasks
import Testing

/// Supervisors that take their time: each acts at its own pace, and the tree moves on.
@Suite struct SchedulerTests {
    /// A concurrent supervisor (one call per workspace, several at once) gets the same answers
    /// and does the same work as the scripted expert in turns.
    @Test(arguments: Fixtures.taskNames, [1, 4])
    func concurrentCallsGiveTheAnswersOfTurns(taskName: String, limit: Int) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        let instances = Fixtures.instances(of: task, count: 2, seed: 6)
        let contexts = InstanceContext.contexts(for: instances, task: task)
        let queries = AssistantQuery.mainQuestions(of: instances, seed: 6)
        let expert = ScriptedExpert(task: task)
        for depth in [0, 2] {
            let turns = try await HCH(task: task, supervisor: expert, depth: depth).amplifier.run(queries, contexts: contexts)
            let concurrent = try await HCH(task: task, supervisor: PacedSupervisor(expert, limit: limit), depth: depth)
                .amplifier.run(queries, contexts: contexts)
            #expect(concurrent.answers == turns.answers, "HCH_\(depth)")
            #expect(concurrent.workspaces == turns.workspaces)
            #expect(concurrent.counters.supervisorActions == turns.counters.supervisorActions)
            #expect(concurrent.counters.leafLookups == turns.counters.leafLookups)
            #expect(concurrent.counters.assistantQuestions == turns.counters.assistantQuestions)
        }
    }

    /// One run, two supervisors: the instant one answers all its main questions while the slow
    /// one still holds every workspace it was given; then the slow one acts, and every answer is
    /// the expert's.
    // No deadline of its own: with the suite's other tests busy on both cores, the run's tasks
    // may wait minutes for a thread; the order of events, not the time, is what is checked.
    @Test(.timeLimit(.minutes(10)), arguments: ["wildcard", "shortest-path"])
    func aSlowSupervisorHoldsUpOnlyItsOwnWorkspaces(taskName: String) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        let instances = Fixtures.instances(of: task, count: 2, seed: 3)
        let contexts = InstanceContext.contexts(for: instances, task: task)
        let queries = AssistantQuery.mainQuestions(of: instances, seed: 3)
        let supervisedBy = queries.indices.map { $0 % 2 }
        let expert = ScriptedExpert(task: task)
        let instant = PacedSupervisor(expert, limit: 4)
        let slow = PacedSupervisor(expert, limit: 4, gated: true)
        let amplifier = Amplifier(
            task: task, supervisors: [instant, slow], assistant: ConstantAssistant.unknown(in: TaskDomain(task)),
            supervisedDepth: 2)
        let run = Task { try await amplifier.run(queries, contexts: contexts, supervisedBy: supervisedBy) }

        let instantQuestions = Set(queries.indices.filter { supervisedBy[$0] == 0 }.map { queries[$0].question })
        while !instantQuestions.isSubset(of: instant.answeredQuestions) {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(instantQuestions.isSubset(of: instant.answeredQuestions), "the instant supervisor was held up")
        #expect(slow.actionsGiven == 0 && slow.callsWaiting > 0)
        slow.open()

        let result = try await run.value
        let reference = try await HCH(task: task, supervisor: expert, depth: 2).amplifier.run(queries, contexts: contexts)
        #expect(result.answers == reference.answers)
        #expect(result.counters.supervisorActions == reference.counters.supervisorActions)
        #expect(slow.actionsGiven > 0)
    }

    /// The run's supervisor-action budget holds with calls in flight: never more actions than it
    /// allows, and every main question still gets an answer.
    @Test(arguments: [1, 10, 40])
    func theActionBudgetHoldsWithCallsInFlight(actions: Int) async throws {
        let task = Fixtures.task("assignments", preset: "small")
        let instances = Fixtures.instances(of: task, count: 2, seed: 4)
        let amplifier = Amplifier(
            task: task, supervisor: PacedSupervisor(ScriptedExpert(task: task), limit: 8),
            assistant: ConstantAssistant.unknown(in: TaskDomain(task)), supervisedDepth: 2,
            configuration: AmplifierConfiguration(budget: AmplificationBudget(supervisorActions: actions)))
        let result = try await amplifier.amplify(instances, seed: 4)
        #expect(result.counters.supervisorActions <= actions)
        #expect(result.answers.count == instances.reduce(0) { $0 + $1.questions.count })
        #expect(result.counters.budgetExhaustions > 0)
    }

    /// A concurrent supervisor's call knows its workspace's id: main question n is `n`, and the
    /// k-th sub-question asked in `p` is `p.k`, so every id it sees names the question it is given.
    @Test(arguments: ["permutation", "union-find"])
    func aConcurrentCallIsToldTheIdOfItsWorkspace(taskName: String) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        let instances = Fixtures.instances(of: task, count: 2, seed: 8)
        let queries = AssistantQuery.mainQuestions(of: instances, seed: 8)
        let recorder = IDRecorder(ScriptedExpert(task: task))
        _ = try await HCH(task: task, supervisor: recorder, depth: 2).amplifier
            .run(queries, contexts: InstanceContext.contexts(for: instances, task: task))

        let calls = recorder.calls.withLock { $0 }
        #expect(calls.count > queries.count)
        #expect(calls.contains { $0.id.depth >= 1 }, "the expert worked sub-workspaces")
        // What each workspace asked, by the ordinal its sub-workspace gets.
        var asked: [WorkspaceID: [Int: Content]] = [:]
        for call in calls {
            if let parent = call.id.parent {
                let ordinal = call.id.path.last!
                #expect(asked[parent]?[ordinal] == call.workspace.question, "\(call.id) is not what \(parent) asked")
            } else {
                #expect(queries[call.id.path[0] - 1].question == call.workspace.question)
            }
            if case .ask(let question) = call.action {
                asked[call.id, default: [:]][call.workspace.exchanges.count + 1] = question
            }
        }
    }

    /// A concurrent supervisor that stands for several agents names who took each action: an
    /// answer is recorded as theirs, while ids and answers stay the expert's.
    @Test func anAttributedAnswerIsRecordedAsItsAgents() async throws {
        let task = Fixtures.task("union-find", preset: "small")
        let instances = Fixtures.instances(of: task, count: 2, seed: 9)
        let queries = AssistantQuery.mainQuestions(of: instances, seed: 9)
        let contexts = InstanceContext.contexts(for: instances, task: task)
        let expert = ScriptedExpert(task: task)
        let attributed = try await HCH(
            task: task, supervisor: IDRecorder(expert, attributing: true), depth: 2, configuration: AmplifierConfiguration(tracing: true)
        ).amplifier.run(queries, contexts: contexts)
        let plain = try await HCH(task: task, supervisor: expert, depth: 2, configuration: AmplifierConfiguration(tracing: true))
            .amplifier.run(queries, contexts: contexts)
        #expect(attributed.answers == plain.answers)

        func check(_ node: TraceNode, id: WorkspaceID) {
            if node.workspace != nil, node.answeredBy != .budget {
                #expect(node.answeredBy == .person("p\(id)"), "\(id)")
            }
            var ordinal = 0
            for child in node.children {
                ordinal += 1
                check(child, id: id.child(ordinal))
            }
        }
        let traces = try #require(attributed.traces)
        for (position, trace) in traces.enumerated() { check(trace, id: WorkspaceID(root: position + 1)) }
        #expect(traces.contains { !$0.children.isEmpty })
    }
}

/// The scripted expert as a concurrent supervisor: each action after a pause (a yield), or, when
/// gated, only once the test opens the gate; records what it answered.
// Safe: every mutable field is touched only under `lock`; continuations are resumed outside it.
private final class PacedSupervisor: ConcurrentSupervisor, @unchecked Sendable {
    let expert: ScriptedExpert
    let maximumConcurrentActions: Int
    private let lock = NSLock()
    private var isOpen: Bool
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var answered: Set<Content> = []
    private var given = 0

    init(_ expert: ScriptedExpert, limit: Int, gated: Bool = false) {
        self.expert = expert
        maximumConcurrentActions = limit
        isOpen = !gated
    }

    var agent: Agent { .program("paced") }
    var answeredQuestions: Set<Content> { lock.withLock { answered } }
    var actionsGiven: Int { lock.withLock { given } }
    var callsWaiting: Int { lock.withLock { waiting.count } }

    func open() {
        let resumed = lock.withLock {
            isOpen = true
            defer { waiting = [] }
            return waiting
        }
        for continuation in resumed { continuation.resume() }
    }

    func act(on workspace: Workspace) async throws -> SupervisorAction {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let go = lock.withLock {
                if !isOpen { waiting.append(continuation) }
                return isOpen
            }
            if go { continuation.resume() }
        }
        await Task.yield()
        let action = expert.action(on: workspace)
        lock.withLock {
            given += 1
            if case .answer = action { answered.insert(workspace.question) }
        }
        return action
    }
}

/// The scripted expert as a concurrent supervisor that records the id of every call.
private final class IDRecorder: ConcurrentSupervisor {
    let expert: ScriptedExpert
    let calls = Mutex<[(id: WorkspaceID, workspace: Workspace, action: SupervisorAction)]>([])
    /// Whether it names each action's agent as `person:p` and the workspace's id.
    let attributing: Bool
    init(_ expert: ScriptedExpert, attributing: Bool = false) {
        self.expert = expert
        self.attributing = attributing
    }
    var agent: Agent { expert.agent }
    var maximumConcurrentActions: Int { 4 }
    func act(on workspace: Workspace) async throws -> SupervisorAction {
        let id = try #require(SupervisorCall.workspaceID, "no workspace id bound to the call")
        let action = expert.action(on: workspace)
        calls.withLock { $0.append((id, workspace, action)) }
        return action
    }
    func attributedAction(on workspace: Workspace) async throws -> (action: SupervisorAction, agent: Agent?) {
        let action = try await act(on: workspace)
        return (action, attributing ? .person("p\(SupervisorCall.workspaceID!)") : nil)
    }
}
