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

extension MemoizingSupervisorTests {
    /// Eight tasks look up overlapping workspaces at once: every lookup is counted once as a hit
    /// or a miss, each miss reaches the wrapped supervisor exactly once, and every action is the
    /// wrapped supervisor's.
    @Test(.tags(.concurrency)) func concurrentCallsCountEveryLookupOnce() async throws {
        let task = PermutationPowering(.small)
        let expert = ScriptedExpert(task: task)
        let recorder = CountingSupervisor(wrapping: expert)
        let memo = MemoizingSupervisor(wrapping: recorder)
        let pool = (1...3).flatMap { element in
            (4...7).map { Workspace(question: task.question(element: element, exponent: $0), subquestionsLeft: 4) }
        }
        let (tasks, calls, batchSize) = (8, 5, 6)
        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for taskIndex in 0..<tasks {
                group.addTask {
                    var wrong = 0
                    for call in 0..<calls {
                        let batch = (0..<batchSize).map { pool[(taskIndex * 7 + call * 5 + $0 * 3) % pool.count] }
                        let actions = try await memo.act(on: batch)
                        wrong += zip(batch, actions).filter { expert.action(on: $0) != $1 }.count + abs(actions.count - batch.count)
                    }
                    return wrong
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        let (hits, misses) = memo.statistics
        #expect(hits + misses == tasks * calls * batchSize)
        #expect(memo.cachedCount == pool.count)
        #expect(await recorder.seen.count == misses)
        #expect(Set(await recorder.seen) == Set(pool))
    }
}

/// Records the workspaces it is asked about, then defers to `wrapped`.
actor CountingSupervisor: Supervisor {
    nonisolated var agent: Agent { .program("counting") }
    let wrapped: any SynchronousSupervisor
    var seen: [Workspace] = []

    init(wrapping supervisor: any SynchronousSupervisor) { wrapped = supervisor }

    func act(on workspace: Workspace) async throws -> SupervisorAction {
        seen.append(workspace)
        return wrapped.action(on: workspace)
    }
}
