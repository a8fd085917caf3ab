import Amplification
import IDATestSupport
import Tasks
import Testing

@Suite struct MemoizingSupervisorTests {
    @Test(arguments: Fixtures.taskNames)
    func repeatedRunHitsTheCacheForEveryAction(taskName: String) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        let instances = Fixtures.instances(of: task, count: 3, seed: 7)
        let memo = MemoizingSupervisor(wrapping: ScriptedExpert(task: task))
        let hch = HCH(task: task, supervisor: memo, depth: 2)
        let first = try await hch.amplifier.amplify(instances, seed: 7)
        let afterFirst = memo.statistics
        #expect(afterFirst.hits + afterFirst.misses == first.counters.supervisorActions)
        #expect(afterFirst.misses == memo.cachedCount)

        let second = try await hch.amplifier.amplify(instances, seed: 7)
        let afterSecond = memo.statistics
        #expect(afterSecond.misses == afterFirst.misses)
        #expect(afterSecond.hits - afterFirst.hits == second.counters.supervisorActions)
        #expect(second.answers == first.answers)

        let plain = try await HCH(task: task, supervisor: ScriptedExpert(task: task), depth: 2)
            .amplifier.amplify(instances, seed: 7)
        #expect(plain.answers == first.answers)
        #expect(plain.workspaces == first.workspaces)
    }

    @Test func repeatedWorkspaceInOneBatchIsOneMiss() async throws {
        let expert = ScriptedExpert(task: PermutationPowering(.small))
        let recorder = CountingSupervisor(wrapping: expert)
        let memo = MemoizingSupervisor(wrapping: recorder)
        let workspace = Workspace(question: PermutationPowering(.small).question(element: 1, exponent: 6), subquestionsLeft: 4)
        let other = Workspace(question: PermutationPowering(.small).question(element: 2, exponent: 6), subquestionsLeft: 4)
        let actions = try await memo.act(on: [workspace, other, workspace])
        #expect(actions == [workspace, other, workspace].map(expert.action(on:)))
        #expect(memo.statistics.misses == 2)
        #expect(memo.statistics.hits == 1)
        #expect(await recorder.seen == [workspace, other])
        _ = try await memo.act(on: workspace)
        #expect(memo.statistics.hits == 2)
    }
}

/// Records the workspaces it is asked about, then defers to `wrapped`.
actor CountingSupervisor: Supervisor {
    let wrapped: any SynchronousSupervisor
    var seen: [Workspace] = []

    init(wrapping supervisor: any SynchronousSupervisor) { wrapped = supervisor }

    func act(on workspace: Workspace) async throws -> SupervisorAction {
        seen.append(workspace)
        return wrapped.action(on: workspace)
    }
}
