import Amplification
import Application
import Foundation
import IDATestSupport
import SeededRandom
import Store
import Tasks
import Testing

/// Resume after a crash, with real processes: `EngineCrashHelper` grows an HCH_2 tree under a
/// slow supervisor, its workspaces stored as they change; the test kills it with SIGKILL while
/// workspaces wait on the supervisor, starts it again on the same run, and compares the finished
/// tree with a run that was never interrupted.
@Suite struct EngineCrashTests {
    static let helper = IDAProcess.binary(named: "EngineCrashHelper")

    /// The run the helper makes, uninterrupted and in memory: the same job, the scripted expert
    /// itself.
    static func reference(task name: String, seed: UInt64) async throws -> AmplificationResult {
        let job = AmplificationJob(task: name, preset: "small", seed: seed, instances: 2, depth: 2)
        let setting = try job.setting()
        return try await job.amplifier(task: setting.task, supervisor: ScriptedExpert(task: setting.task), tracing: true)
            .run(setting.queries, contexts: setting.contexts)
    }

    /// Killed after each of `kills` records (counted from each start), several times over on the
    /// same run, then left to finish.
    @Test(.timeLimit(.minutes(10)), arguments: [("wildcard", [3, 12, 30]), ("union-find", [5, 20])])
    func aRunKilledWhileWorkspacesWaitResumesToTheUninterruptedTree(taskName: String, kills: [Int]) async throws {
        let helper = try #require(Self.helper, "EngineCrashHelper is not built: run `swift build --build-tests`")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let seed: UInt64 = 12
        var run: String?
        var actions: [Int] = []
        for records in kills {
            // The helper's supervisor stops acting after `records` records and holds its
            // workspaces, so the kill always finds work waiting on it.
            let arguments = [directory.database, taskName, String(seed), run ?? "new", String(records)]
            let (process, out, _) = try IDAProcess.start(arguments, in: directory.url, executable: helper)
            var printed = ""
            let deadline = Date().addingTimeInterval(300)
            while process.isRunning, Date() < deadline,
                printed.split(separator: "\n").count(where: { $0.hasPrefix("recorded") }) < records
            {
                try await Task.sleep(for: .milliseconds(10))
                printed = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            }
            kill(process.processIdentifier, SIGKILL)
            await process.exited()
            #expect(process.terminationReason == .uncaughtSignal, "the helper finished before it was killed: \(printed)")
            if run == nil {
                run = try #require(printed.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4).description
            }
            let saved = try StoredTree.saved(run: try #require(run), in: SQLiteStore(path: directory.database))
            #expect(saved.workspaces.contains { $0.state != .answered }, "workspaces were waiting when it was killed")
            actions.append(saved.progress.counters.supervisorActions)
        }
        let id = try #require(run)
        let store = try SQLiteStore(path: directory.database)
        #expect(try store.run(id: id).status == .running)

        let (process, out, err) = try IDAProcess.start(
            [directory.database, taskName, String(seed), id], in: directory.url, executable: helper)
        await process.exited()
        let outcome = try IDAProcess.outcome(process, out, err)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.hasSuffix("done\n"))

        let reference = try await Self.reference(task: taskName, seed: seed)
        let task = try TaskCatalog.task(named: taskName, preset: "small")
        let trees = try StoredTree.trees(run: id, unknown: TaskDomain(task).unknownAnswer, in: store)
        let sameTrees = trees == reference.traces
        #expect(sameTrees, "the resumed tree is the uninterrupted one")
        #expect(try store.run(id: id).status == .completed)
        // Nothing completed was redone: the actions stored are those of one uninterrupted run.
        let progress = try StoredTree.saved(run: id, in: store).progress
        #expect(progress.counters.supervisorActions == reference.counters.supervisorActions)
        #expect(
            zip(actions, actions.dropFirst()).allSatisfy { $0 < $1 } && actions[0] > 0,
            "each restart went on from where the last was killed: \(actions) actions recorded")
    }
}
