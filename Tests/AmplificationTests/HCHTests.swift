import Amplification
import Foundation
import IDATestSupport
import PropertyBased
import SeededRandom
import Tasks
import Testing

@Suite struct HCHTests {
    /// The staircase: HCH_n answers every question of depth ≤ n correctly.
    @Test(arguments: Fixtures.taskNames, Fixtures.presets)
    func hchAnswersEveryQuestionUpToItsDepth(taskName: String, preset: String) async throws {
        let task = Fixtures.task(taskName, preset: preset)
        for seed in UInt64(1)...10 {
            let instances = Fixtures.instances(of: task, count: 3, seed: seed)
            let truth = Fixtures.truth(of: task, instances)
            let deepest = truth.map(\.depth).max() ?? 0
            for n in 0...deepest {
                let result = try await HCH(task: task, supervisor: ScriptedExpert(task: task), depth: n)
                    .amplifier.amplify(instances, seed: seed)
                for (answer, expected) in zip(result.answers, truth) where expected.depth <= n {
                    #expect(answer == expected.answer, "HCH_\(n), depth \(expected.depth), seed \(seed)")
                }
                #expect(result.counters.groundTruthAnswers == 0)
            }
        }
    }

    @Test(arguments: Fixtures.taskNames, [0, 1, 2, 3])
    func hchMatchesTheStraightforwardRecursion(taskName: String, depth: Int) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        await propertyCheck(count: 10, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            let instances = Fixtures.instances(of: task, count: 2, seed: seed)
            let contexts = InstanceContext.contexts(for: instances, task: task)
            let queries = AssistantQuery.mainQuestions(of: instances, seed: seed)
            let engine = try await HCH(task: task, supervisor: ScriptedExpert(task: task), depth: depth)
                .amplifier.run(queries, contexts: contexts)
            let reference = RecursiveHCH(task: task, depth: depth).evaluate(queries, contexts: contexts)
            #expect(engine.answers == reference.answers)
            #expect(engine.counters.supervisorActions == reference.counters.supervisorActions)
            #expect(engine.counters.leafLookups == reference.counters.leafLookups)
            #expect(engine.counters.loopsDetected == reference.counters.loopsDetected)
        }
    }

    @Test(arguments: Fixtures.taskNames, [UInt64(3), 4])
    func everyLevelSendsOneBatchPerStep(taskName: String, seed: UInt64) async throws {
        // HCH_2 built by hand with a recorder in front of each lower level.
        let task = Fixtures.task(taskName, preset: "small")
        let instances = Fixtures.instances(of: task, count: 4, seed: seed)
        let expert = ScriptedExpert(task: task)
        let bottom = RecordingAssistant(wrapping: HCH(task: task, supervisor: expert, depth: 0))
        let middle = RecordingAssistant(wrapping: Amplifier(task: task, supervisor: expert, assistant: bottom))
        let top = Amplifier(task: task, supervisor: expert, assistant: middle, configuration: AmplifierConfiguration(tracing: true))
        let result = try await top.amplify(instances, seed: seed)
        let traces = try #require(result.traces)

        #expect(middle.batchSizes == Fixtures.batchSizes(of: result.workspaces, task: task))
        // The middle level's workspaces, grouped by the top-level step (call) that created them.
        var expectedBottom: [Int] = []
        for step in 0..<(traces.map(\.children.count).max() ?? 0) {
            let created = traces.compactMap { $0.children.count > step ? $0.children[step].workspace : nil }
            expectedBottom += Fixtures.batchSizes(of: created, task: task)
        }
        #expect(bottom.batchSizes == expectedBottom)

        // The same HCH_2 as one tree: the same answers and work, the lower levels' calls now turns.
        let reference = try await HCH(task: task, supervisor: expert, depth: 2).amplifier.amplify(instances, seed: seed)
        #expect(result.answers == reference.answers)
        #expect(result.counters.supervisorActions == reference.counters.supervisorActions)
        #expect(result.counters.leafLookups == reference.counters.leafLookups)
        #expect(result.counters.loopsDetected == reference.counters.loopsDetected)
    }

    /// HCH_n is one tree worked in turns: a batched supervisor gets, in one call, every workspace
    /// ready to act, main questions and sub-questions of any depth together, and the answers and
    /// work equal the straightforward recursion's. (Whether a call mixes depths depends on the
    /// instances: assignments' main questions move in step, so the mix is counted over all tasks.)
    @Test func aBatchedSupervisorGetsEveryReadyWorkspaceOfTheTreeInOneCall() async throws {
        var mixedCalls = 0
        for taskName in Fixtures.taskNames {
            let task = Fixtures.task(taskName, preset: "small")
            for seed in UInt64(1)...2 {
                let instances = Fixtures.instances(of: task, count: 3, seed: seed)
                let contexts = InstanceContext.contexts(for: instances, task: task)
                let queries = AssistantQuery.mainQuestions(of: instances, seed: seed)
                let mainQuestions = Set(queries.map(\.question))
                let supervisor = BatchRecordingSupervisor(wrapping: ScriptedExpert(task: task))
                let result = try await HCH(task: task, supervisor: supervisor, depth: 3).amplifier
                    .run(queries, contexts: contexts)
                let reference = RecursiveHCH(task: task, depth: 3).evaluate(queries, contexts: contexts)
                #expect(result.answers == reference.answers, "\(taskName), seed \(seed)")
                #expect(result.counters.supervisorActions == reference.counters.supervisorActions)
                #expect(result.counters.leafLookups == reference.counters.leafLookups)
                let batches = supervisor.batches
                #expect(batches.reduce(0) { $0 + $1.count } == result.counters.supervisorActions)
                mixedCalls += batches.count { batch in
                    batch.contains { mainQuestions.contains($0.question) }
                        && batch.contains { !mainQuestions.contains($0.question) }
                }
            }
        }
        #expect(mixedCalls > 0)
    }

    @Test(arguments: Fixtures.taskNames, [1, 3])
    func questionInItsOwnAncestryIsAnsweredUnknown(taskName: String, depth: Int) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        let instances = Fixtures.instances(of: task, count: 2, seed: 11)
        let looping = LoopingSupervisor(wrapping: ScriptedExpert(task: task))
        let result = try await HCH(task: task, supervisor: looping, depth: depth).amplifier.amplify(instances, seed: 11)
        // Every workspace asks its own question first; it is caught at once, never sent down.
        let asked = result.workspaces.map { $0.exchanges.first }
        for (workspace, first) in zip(result.workspaces, asked) {
            #expect(first == Exchange(question: workspace.question, answer: TaskDomain(task).unknownAnswer))
        }
        #expect(result.counters.loopsDetected >= result.workspaces.count)
        let honest = try await HCH(task: task, supervisor: ScriptedExpert(task: task), depth: depth)
            .amplifier.amplify(instances, seed: 11)
        #expect(result.answers == honest.answers)
    }

    @Test func ancestorQuestionIsAnsweredUnknown() async throws {
        // σ^2(x) asks σ^1(x) (a leaf) and σ^1(σ x); σ^4 asks σ^2 twice. A supervisor that asks
        // the main question again from a sub-workspace is caught one level down.
        let task = PermutationPowering(.small)
        let instances = Fixtures.instances(of: task, count: 1, seed: 2)
        let main = Content.tokens(task.question(element: 0, exponent: 4))
        let supervisor = AskTheRootSupervisor(root: main, wrapped: ScriptedExpert(task: task))
        let contexts = InstanceContext.contexts(for: instances, task: task)
        let result = try await HCH(task: task, supervisor: supervisor, depth: 3)
            .amplifier.run([AssistantQuery(context: 0, question: main, seed: 1)], contexts: contexts)
        #expect(result.counters.loopsDetected > 0)
    }

    @Test func negativeDepthTraps() async {
        await #expect(processExitsWith: .failure) {
            let task = PermutationPowering(.tiny)
            _ = HCH(task: task, supervisor: ScriptedExpert(task: task), depth: -1)
        }
    }
}

/// Asks `root` first in every workspace other than the root's own, then behaves like `wrapped`.
struct AskTheRootSupervisor: SynchronousSupervisor {
    var agent: Agent { .program("ask-the-root") }
    let root: Content
    let wrapped: any SynchronousSupervisor

    func action(on workspace: Workspace) -> SupervisorAction {
        guard workspace.question != root else { return wrapped.action(on: workspace) }
        if workspace.exchanges.isEmpty { return .ask(root) }
        var rest = workspace
        rest.exchanges.removeFirst()
        return wrapped.action(on: rest)
    }
}

/// A supervisor that is batched only (no synchronous fast path) and records every call's
/// workspaces.
// Safe: `batches` is touched only under `lock`, never held across an `await`.
private final class BatchRecordingSupervisor: Supervisor, @unchecked Sendable {
    let wrapped: ScriptedExpert
    private let lock = NSLock()
    private var recorded: [[Workspace]] = []

    init(wrapping wrapped: ScriptedExpert) {
        self.wrapped = wrapped
    }

    var agent: Agent { wrapped.agent }

    var batches: [[Workspace]] {
        lock.withLock { recorded }
    }

    func act(on workspace: Workspace) async throws -> SupervisorAction {
        try await act(on: [workspace])[0]
    }

    func act(on workspaces: [Workspace]) async throws -> [SupervisorAction] {
        lock.withLock { recorded.append(workspaces) }
        return workspaces.map { wrapped.action(on: $0) }
    }
}
