import Amplification
import Application
import Foundation
import SeededRandom
import Store
import Tasks

/// HCH_2 with a slow supervisor, its tree stored as it grows: the victim of the command-line tests'
/// kill test (`EngineCrashTests`), which kills it with SIGKILL while workspaces wait on the
/// supervisor and then runs it again to resume.
///
/// Usage: `EngineCrashHelper DATABASE TASK SEED RUN|new [HANG_AFTER]`. With `new` it starts a new
/// job, HCH_2 on two instances of `TASK` (small preset) drawn from `SEED`, and prints `run ID`;
/// with a run id it resumes that run from the store (`TASK` and `SEED` are then the stored ones). The supervisor is the scripted expert taking
/// 1 ms per action, four workspaces at a time (a stand-in for people or a language model); after
/// `HANG_AFTER` records it takes no more actions, like a person who walked away, and the workspaces
/// it holds wait until the process is killed. After each record of the journal it prints
/// `recorded N` (N workspaces), and `done` at the end, each line unbuffered, so the parent knows
/// what reached the store before it kills.
@main
enum EngineCrashHelper {
    /// The records made so far, which the supervisor reads to know when to stop acting.
    // Safe: `count`, the only mutable state, is read and written only with `lock` held.
    final class Records: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func increment() { lock.withLock { count += 1 } }
        var made: Int { lock.withLock { count } }
    }

    struct PacedExpert: ConcurrentSupervisor {
        let expert: ScriptedExpert
        let records: Records
        let hangAfter: Int
        var agent: Agent { .expert }
        var maximumConcurrentActions: Int { 4 }

        func act(on workspace: Workspace) async throws -> SupervisorAction {
            try await Task.sleep(for: .milliseconds(1))
            while records.made >= hangAfter {
                try await Task.sleep(for: .seconds(1))
            }
            return expert.action(on: workspace)
        }
    }

    /// The store's journal, announcing each record once it is committed.
    struct AnnouncingJournal: WorkspaceJournal {
        let journal: StoreJournal
        let records: Records

        func record(_ workspaces: [WorkspaceSnapshot], progress: AmplificationProgress) async throws {
            try await journal.record(workspaces, progress: progress)
            records.increment()
            say("recorded \(workspaces.count)")
        }
    }

    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func main() async {
        let arguments = CommandLine.arguments
        guard arguments.count >= 5, let seed = UInt64(arguments[3]) else {
            FileHandle.standardError.write(Data("usage: EngineCrashHelper DATABASE TASK SEED RUN|new [HANG_AFTER]\n".utf8))
            exit(2)
        }
        do {
            try await work(arguments, seed: seed)
            say("done")
        } catch {
            FileHandle.standardError.write(Data("EngineCrashHelper: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Starts or resumes the run (off the main actor, like ida's commands).
    nonisolated static func work(_ arguments: [String], seed: UInt64) async throws {
        let store = try SQLiteStore(path: arguments[1])
        let records = Records()
        let hangAfter = arguments.count > 5 ? Int(arguments[5]) ?? .max : .max
        func supervisor(_ job: AmplificationJob) throws -> any Supervisor {
            let task = try TaskCatalog.task(named: job.task, preset: job.preset)
            return PacedExpert(expert: ScriptedExpert(task: task), records: records, hangAfter: hangAfter)
        }
        let announcing: @Sendable (StoreJournal) -> any WorkspaceJournal = {
            AnnouncingJournal(journal: $0, records: records)
        }
        if arguments[4] == "new" {
            let job = AmplificationJob(task: arguments[2], preset: "small", seed: seed, instances: 2, depth: 2)
            _ = try await job.start(
                in: store, supervisor: try supervisor(job), started: { say("run \($0)") }, journal: announcing)
        } else {
            let stored = try AmplificationJob.stored(arguments[4], in: store)
            _ = try await AmplificationJob.resume(
                arguments[4], in: store, supervisor: try supervisor(stored), journal: announcing)
        }
    }
}
