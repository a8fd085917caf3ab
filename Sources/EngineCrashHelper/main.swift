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
/// `hch` run on two instances of `TASK` (small preset) drawn from `SEED` and prints `run ID`;
/// with a run id it resumes that run from the store. The supervisor is the scripted expert taking
/// 1 ms per action, four workspaces at a time (a stand-in for people or a language model); after
/// `HANG_AFTER` records it takes no more actions, like a person who walked away, and the workspaces
/// it holds wait until the process is killed. After each record of the journal it prints
/// `recorded N` (N workspaces), and `done` at the end, each line unbuffered, so the parent knows
/// what reached the store before it kills.
@main
enum EngineCrashHelper {
    /// The records made so far, which the supervisor reads to know when to stop acting.
    final class Records: @unchecked Sendable {
        // Safe: `count` is only touched under `lock`.
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

    /// The instances and amplifier of a run of `task` from `seed` (the test makes the same).
    static func setUp(task name: String, seed: UInt64, records: Records, hangAfter: Int) throws -> (
        Amplifier, [InstanceContext], [AssistantQuery]
    ) {
        let task = try TaskCatalog.task(named: name, preset: "small")
        var rng = SplitMix64(seed: seed)
        let instances = (0..<2).map { _ in task.makeInstance(size: task.size, using: &rng) }
        let supervisor = PacedExpert(expert: ScriptedExpert(task: task), records: records, hangAfter: hangAfter)
        let amplifier = HCH(task: task, supervisor: supervisor, depth: 2).amplifier
        return (
            amplifier, InstanceContext.contexts(for: instances, task: task),
            AssistantQuery.mainQuestions(of: instances, seed: seed)
        )
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
        let store = try RunStore(path: arguments[1])
        let records = Records()
        let hangAfter = arguments.count > 5 ? Int(arguments[5]) ?? .max : .max
        let (amplifier, contexts, queries) = try setUp(
            task: arguments[2], seed: seed, records: records, hangAfter: hangAfter)
        if arguments[4] != "new" {
            let run = arguments[4]
            let saved = try StoredTree.saved(run: run, in: store)
            let journal = AnnouncingJournal(journal: StoreJournal(store: store, run: run), records: records)
            _ = try await amplifier.resume(saved, contexts: contexts, journal: journal)
            try store.updateRun(run, status: .completed, updatedAt: Date())
        } else {
            _ = try await StoredTree.journaling(
                task: arguments[2], preset: "small", configuration: "{}", seed: seed, in: store
            ) { journal in
                say("run \(journal.run)")
                return try await amplifier.run(
                    queries, contexts: contexts, journal: AnnouncingJournal(journal: journal, records: records))
            }
        }
    }
}
