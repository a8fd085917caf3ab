#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Amplification
import Foundation
import Store

/// An amplification shared out among worker processes through a ``WorkQueue``: each main
/// question of a stored job (an ``AmplificationJob`` or a ``TextJob``) is one item, which a
/// worker amplifies alone and completes with its whole tree.
///
/// A main question's tree does not depend on the others' (its random stream is its own, drawn
/// from the job's seed; the supervisor and the assistant see one workspace at a time), so a
/// question amplified alone grows the tree it grows in a run of the whole job, rooted where that
/// run roots it. With supervisors that answer a workspace the same way each time (the scripted
/// expert; a language model at temperature 0 behind the response cache), the shared run's tree
/// equals the one-process run's; run-wide budgets are the exception (each question has the
/// job's whole budget).
public enum SharedAmplification {
    /// Stores `job` as a new `hch` run (schedule `shared`) and queues its main questions.
    ///
    /// - Returns: the run's id and how many items were queued.
    public static func enqueue(_ job: StoredTree.Job, in store: any RunStore & WorkQueue) throws -> (run: String, items: Int) {
        let (task, preset, seed, configuration, items): (String, String, UInt64, String, Int)
        switch job {
        case .task(let job):
            (task, preset, seed, configuration, items) = (
                job.task, job.preset, job.seed, try storedJSON(job), try job.setting().queries.count
            )
        case .text(let job):
            try job.validate(in: TextDomain())
            (task, preset, seed, configuration, items) = (
                TextDomain().name, "-", job.seed, try storedJSON(job), job.questions.count
            )
        }
        let run = try store.createRun(
            NewRun(kind: .hch, task: task, preset: preset, schedule: "shared", configuration: configuration, seed: seed, createdAt: Date()))
        try store.enqueue(run: run.id, count: items)
        return (run.id, items)
    }

    /// The tree of main question `item` of `job`, grown alone by `supervisor` (and, for a text
    /// job answered by a model below its depth, `assistant`), with the ids it has in the whole run.
    public static func tree(
        of item: Int, in job: StoredTree.Job, supervisor: any Supervisor, assistant: any Assistant
    ) async throws -> [WorkspaceSnapshot] {
        let amplifier: Amplifier
        let queries: [AssistantQuery]
        let contexts: [InstanceContext]
        switch job {
        case .task(let job):
            let setting = try job.setting()
            amplifier = job.amplifier(task: setting.task, supervisor: supervisor, tracing: true)
            (queries, contexts) = (setting.queries, setting.contexts)
        case .text(let job):
            amplifier = job.amplifier(domain: TextDomain(), supervisor: supervisor, assistant: assistant)
            (queries, contexts) = (AssistantQuery.mainQuestions(of: job.questions, seed: job.seed), InstanceContext.contexts(for: job.questions))
        }
        guard queries.indices.contains(item) else {
            throw ApplicationError.invalidJob("item \(item) is outside the job's \(queries.count) main questions")
        }
        let journal = LatestSnapshots()
        _ = try await amplifier.run([queries[item]], contexts: contexts, journal: journal)
        return journal.snapshots.map { snapshot in
            var moved = snapshot
            moved.id = snapshot.id.underRoot(item + 1)
            return moved
        }
    }
}

/// A journal that keeps the latest snapshot of each workspace in memory.
final class LatestSnapshots: WorkspaceJournal, @unchecked Sendable {
    private let lock = NSLock()
    private var latest: [WorkspaceID: WorkspaceSnapshot] = [:]

    func record(_ workspaces: [WorkspaceSnapshot], progress: AmplificationProgress) async throws {
        lock.withLock {
            for workspace in workspaces { latest[workspace.id] = workspace }
        }
    }

    /// In the tree's order.
    var snapshots: [WorkspaceSnapshot] {
        lock.withLock { latest.values.sorted { $0.id < $1.id } }
    }
}

/// A worker of shared amplifications: claims an item, grows its tree while renewing the lease,
/// and completes it; then the next, until there is none (or forever, waiting for work).
public struct AmplificationWorker: Sendable {
    /// What happened to one claimed item.
    public enum Event: Sendable {
        case completed(WorkLease, workspaces: Int, counts: WorkCounts)
        /// A generation of a training run's targets was grown and handed to its trainer.
        case grewTargets(WorkLease)
        /// Another claim took the item while this worker was on it (its lease had run out):
        /// the tree grown here was dropped.
        case fenced(WorkLease)
    }

    public let store: any RunStore & WorkQueue
    /// Who the worker is, as the queue records it (`host:pid`).
    public let name: String
    public let leaseSeconds: Double
    /// The supervisor and assistant for a job: the command line's choice.
    public let agents: @Sendable (StoredTree.Job) throws -> (supervisor: any Supervisor, assistant: any Assistant)

    public init(
        store: any RunStore & WorkQueue, name: String, leaseSeconds: Double,
        agents: @escaping @Sendable (StoredTree.Job) throws -> (supervisor: any Supervisor, assistant: any Assistant)
    ) {
        precondition(leaseSeconds > 0, "AmplificationWorker: leaseSeconds must be > 0, got \(leaseSeconds)")
        self.store = store
        self.name = name
        self.leaseSeconds = leaseSeconds
        self.agents = agents
    }

    /// Works items of run `run` (of every running run when nil) until `run` has none left
    /// open, or, without a run, until cancelled; returns how many items it completed.
    @discardableResult
    public func work(run: String?, event: @Sendable (Event) -> Void = { _ in }) async throws -> Int {
        var completed = 0
        while !Task.isCancelled {
            if let lease = try store.claim(worker: name, leaseSeconds: leaseSeconds, run: run) {
                if try await work(on: lease, event: event) { completed += 1 }
                continue
            }
            if let run, try hasNoMoreWork(run) { break }
            await store.waitForWork(seconds: min(2, leaseSeconds / 2))
        }
        return completed
    }

    /// Whether run `run` has no item open and will get none: a tree's run ends with its last
    /// item, while a training run gets one generation's item at a time for as long as its
    /// trainer runs.
    private func hasNoMoreWork(_ run: String) throws -> Bool {
        let counts = try store.workCounts(run: run)
        guard counts.queued + counts.leased == 0 else { return false }
        let record = try store.run(id: run)
        return record.kind != .ia || record.status != .running
    }

    /// Works the item while a heartbeat renews the lease every third of it, and completes it:
    /// a main question's tree, or a training run's targets (``SharedTargets``); false when the
    /// item was taken from this worker meanwhile.
    func work(on lease: WorkLease, event: @Sendable (Event) -> Void) async throws -> Bool {
        let run = try store.run(id: lease.run)
        if run.kind == .ia {
            guard let payload = try store.request(of: lease) else {
                throw ApplicationError.unreadableRun(run: run.id, problem: "item \(lease.item) has no request")
            }
            guard let reply = try await holding(lease, { try await SharedTargets.reply(to: payload, of: run) }),
                try store.complete(lease, reply: reply)
            else {
                event(.fenced(lease))
                return false
            }
            event(.grewTargets(lease))
            return true
        }
        let job = try StoredTree.job(of: run)
        let (supervisor, assistant) = try agents(job)
        let snapshots = try await holding(lease) {
            try await SharedAmplification.tree(of: lease.item, in: job, supervisor: supervisor, assistant: assistant)
        }
        guard let snapshots, let counts = try store.complete(lease, workspaces: snapshots.map(StoredTree.record(of:))) else {
            event(.fenced(lease))
            return false
        }
        event(.completed(lease, workspaces: snapshots.count, counts: counts))
        return true
    }

    /// `body`'s result, renewing `lease` every third of its term meanwhile; nil when a renewal is
    /// refused first (another claim took the item).
    private func holding<T: Sendable>(_ lease: WorkLease, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask { [store, leaseSeconds] in
                while true {
                    try await Task.sleep(for: .seconds(leaseSeconds / 3))
                    guard try store.renew(lease, leaseSeconds: leaseSeconds) else { return nil }
                }
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }
}
