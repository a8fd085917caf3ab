#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Amplification
import Foundation
import SeededRandom
import Store
import Tasks

/// An amplification whose tree is stored as it grows, and which can be resumed from the store
/// alone: HCH_n on instances of a task drawn from a seed. The job is the run's configuration
/// (JSON in `run.configuration`), so a resume needs only the run's id, and the supervisor.
///
/// `ida hch` (one job per n), `ida trace` (one question) and the engine's crash test run jobs;
/// so will the web app, with people as the supervisor.
public struct AmplificationJob: Codable, Sendable, Equatable {
    public var task: String
    public var preset: String
    /// The seed of the instances and of the main questions' random streams.
    public var seed: UInt64
    /// How many full-size instances are drawn from `seed`.
    public var instances: Int
    /// n: the supervisor works the workspaces down to depth n; below, the unknown assistant.
    public var depth: Int
    /// Only this main question of the first instance (with `seed` as its stream), or all of them
    /// (each with its own draw from `seed`).
    public var question: Int?

    public init(task: String, preset: String, seed: UInt64, instances: Int, depth: Int, question: Int? = nil) {
        self.task = task
        self.preset = preset
        self.seed = seed
        self.instances = instances
        self.depth = depth
        self.question = question
    }

    /// What a job runs on: the task, the instances as contexts, and the main questions.
    public struct Setting: Sendable {
        public let task: any AmplificationTask
        public let instances: [TaskInstance]
        public let contexts: [InstanceContext]
        public let queries: [AssistantQuery]
    }

    /// The task, instances and main questions the job's fields name.
    ///
    /// - Throws: the task catalog's error for an unknown task or preset;
    ///   ``ApplicationError/invalidJob(_:)`` for a question outside the first instance's.
    public func setting() throws -> Setting {
        let task = try TaskCatalog.task(named: self.task, preset: preset)
        var rng = SplitMix64(seed: seed)
        let instances = (0..<instances).map { _ in task.makeInstance(size: task.size, using: &rng) }
        let queries: [AssistantQuery]
        if let question {
            guard let first = instances.first, first.questions.indices.contains(question) else {
                throw ApplicationError.invalidJob(
                    "question \(question) is outside the instance's \(instances.first?.questions.count ?? 0)")
            }
            queries = [AssistantQuery(context: 0, question: .tokens(first.questions[question]), seed: seed)]
        } else {
            queries = AssistantQuery.mainQuestions(of: instances, seed: seed)
        }
        return Setting(
            task: task, instances: instances, contexts: InstanceContext.contexts(for: instances, task: task),
            queries: queries)
    }

    /// HCH_n of `supervisor` on `task`, keeping traces when `tracing` (a journaled run always does).
    public func amplifier(task: any AmplificationTask, supervisor: any Supervisor, tracing: Bool = false) -> Amplifier {
        HCH(task: task, supervisor: supervisor, depth: depth, configuration: AmplifierConfiguration(tracing: tracing))
            .amplifier
    }

    /// Runs the job in a new `hch` run of `store` (of schedule `schedule`: `people` for the web
    /// app's), its tree stored as it grows; the run is marked completed when the tree is, failed
    /// when the amplification throws. `started` is called with the run's id before the first
    /// workspace is stored.
    public func start(
        in store: any RunStore, supervisor: any Supervisor, schedule: String = "hch", started: @Sendable (String) -> Void = { _ in },
        journal wrap: @Sendable (StoreJournal) -> any WorkspaceJournal = { $0 }
    ) async throws -> (run: String, setting: Setting, result: AmplificationResult) {
        let setting = try setting()
        let amplifier = amplifier(task: setting.task, supervisor: supervisor)
        let run = try store.createRun(
            NewRun(
                kind: .hch, task: task, preset: preset, schedule: schedule, configuration: try storedJSON(self),
                seed: seed, createdAt: Date())
        ).id
        started(run)
        let result = try await Self.finishing(run, in: store) {
            try await amplifier.run(
                setting.queries, contexts: setting.contexts, journal: wrap(StoreJournal(store: store, run: run)))
        }
        return (run, setting, result)
    }

    /// Goes on with stored run `run` from what its journal recorded (after the process running
    /// it stopped), with `supervisor` working the workspaces still open (the job it was started
    /// with is ``stored(_:in:)``).
    ///
    /// - Throws: ``ApplicationError/unreadableRun(run:problem:)`` when the run is not a stored
    ///   job's, or its workspaces cannot be read; ``ApplicationError/invalidJob(_:)`` when it is
    ///   already complete.
    public static func resume(
        _ run: String, in store: any RunStore, supervisor: any Supervisor,
        journal wrap: @Sendable (StoreJournal) -> any WorkspaceJournal = { $0 }
    ) async throws -> (job: AmplificationJob, setting: Setting, result: AmplificationResult) {
        let job = try stored(run, in: store)
        guard try store.run(id: run).status != .completed else {
            throw ApplicationError.invalidJob("run \(run) is already complete; nothing to resume")
        }
        let setting = try job.setting()
        let amplifier = job.amplifier(task: setting.task, supervisor: supervisor)
        let saved = try StoredTree.saved(run: run, in: store)
        try store.updateRun(run, status: .running, updatedAt: Date())
        let result = try await finishing(run, in: store) {
            try await amplifier.resume(
                saved, contexts: setting.contexts, journal: wrap(StoreJournal(store: store, run: run)))
        }
        return (job, setting, result)
    }

    /// The job stored as run `run`'s configuration.
    ///
    /// - Throws: ``ApplicationError/unreadableRun(run:problem:)`` when the run is not a job's.
    public static func stored(_ run: String, in store: any RunStore) throws -> AmplificationJob {
        let record = try store.run(id: run)
        guard record.kind == .hch,
            let job = try? JSONDecoder().decode(AmplificationJob.self, from: Data(record.configuration.utf8))
        else {
            throw ApplicationError.unreadableRun(run: run, problem: "it is not a stored amplification")
        }
        return job
    }

    /// `body`'s result, with run `run` marked completed after it, or failed when it throws.
    private static func finishing<Result>(
        _ run: String, in store: any RunStore, _ body: () async throws -> Result
    ) async throws -> Result {
        let result: Result
        do {
            result = try await body()
        } catch {
            _ = try? store.updateRun(run, status: .failed, updatedAt: Date())
            throw error
        }
        try store.updateRun(run, status: .completed, updatedAt: Date())
        return result
    }
}
