#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Amplification
import Foundation
import LanguageModels
import Store
import Synchronization

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
    /// The schedule that marks a stored run as shared out through the queue.
    public static let schedule = "shared"

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
            NewRun(kind: .hch, task: task, preset: preset, schedule: schedule, configuration: configuration, seed: seed, createdAt: Date()))
        try store.enqueue(run: run.id, count: items)
        return (run.id, items)
    }

    /// The tree of main question `item` of `job`, grown alone by `supervisor` (and, for a text
    /// job answered by a model below its depth, `assistant`), with the ids it has in the whole run;
    /// from `saved` (the question's tree as `changed` was given it earlier) when given.
    ///
    /// - Parameter changed: after every change, the whole tree so far and the workspaces that
    ///   changed, with the ids they have in the run.
    public static func tree(
        of item: Int, in job: StoredTree.Job, supervisor: any Supervisor, assistant: any Assistant,
        resuming saved: SavedAmplification? = nil,
        changed: (@Sendable (_ tree: SavedAmplification, _ workspaces: [WorkspaceID]) async throws -> Void)? = nil
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
        // Grown alone, the question is main question 1; in the run, main question item + 1.
        let latest = LatestSnapshots(root: item + 1, from: saved?.workspaces ?? [], changed: changed)
        if var saved {
            guard saved.workspaces.allSatisfy({ $0.id.path[0] == item + 1 }) else {
                throw ApplicationError.invalidJob("the progress saved for item \(item) is another question's")
            }
            saved.workspaces = saved.workspaces.map { $0.moved(toRoot: 1) }
            _ = try await amplifier.resume(saved, contexts: contexts, journal: latest)
        } else {
            _ = try await amplifier.run([queries[item]], contexts: contexts, journal: latest)
        }
        return latest.snapshots
    }
}

extension WorkspaceSnapshot {
    /// The snapshot with its id under main question `root`.
    func moved(toRoot root: Int) -> WorkspaceSnapshot {
        var moved = self
        moved.id = id.underRoot(root)
        return moved
    }
}

/// A journal that keeps the latest snapshot of each workspace in memory, moved under main
/// question `root`, and tells `changed` of each change.
final class LatestSnapshots: WorkspaceJournal, @unchecked Sendable {
    private let root: Int
    private let changed: (@Sendable (SavedAmplification, [WorkspaceID]) async throws -> Void)?
    private let lock = NSLock()
    private var latest: [WorkspaceID: WorkspaceSnapshot] = [:]

    /// - Parameter saved: the workspaces the tree starts from (resumed), under `root`.
    init(root: Int, from saved: [WorkspaceSnapshot], changed: (@Sendable (SavedAmplification, [WorkspaceID]) async throws -> Void)?) {
        self.root = root
        self.changed = changed
        latest = Dictionary(uniqueKeysWithValues: saved.map { ($0.id, $0) })
    }

    func record(_ workspaces: [WorkspaceSnapshot], progress: AmplificationProgress) async throws {
        let moved = workspaces.map { $0.moved(toRoot: root) }
        lock.withLock {
            for workspace in moved { latest[workspace.id] = workspace }
        }
        if let changed { try await changed(SavedAmplification(workspaces: snapshots, progress: progress), moved.map(\.id)) }
    }

    /// In the tree's order.
    var snapshots: [WorkspaceSnapshot] {
        lock.withLock { latest.values.sorted { $0.id < $1.id } }
    }
}

/// A worker of shared runs: claims an item, works it while renewing the lease (grows a
/// question's tree, a generation's targets, or makes a model call), and completes it; then the
/// next, until there is none (or forever, waiting for work).
public struct AmplificationWorker: Sendable {
    /// What happened to one claimed item.
    public enum Event: Sendable {
        case completed(WorkLease, workspaces: Int, counts: WorkCounts)
        /// A generation of a training run's targets was grown and handed to its trainer.
        case grewTargets(WorkLease)
        /// A model call was made and its reply handed to the run's process.
        case calledModel(WorkLease)
        /// Another claim took the item while this worker was on it (its lease had run out):
        /// the tree grown here was dropped.
        case fenced(WorkLease)
    }

    public let store: any RunStore & WorkQueue
    /// Who the worker is, as the queue records it (`host:pid`).
    public let name: String
    public let leaseSeconds: Double
    /// The model whose calls the worker makes (``SharedModelCalls``); nil: it takes none. The
    /// question's agents (``agents``) may call a model of their own.
    public let chat: (any ChatModel)?
    /// The supervisor and assistant for the job of the question a lease holds: the command
    /// line's choice, or a server's people (whose desk places the workspaces under the
    /// question's root).
    public let agents: @Sendable (StoredTree.Job, WorkLease) throws -> (supervisor: any Supervisor, assistant: any Assistant)
    /// The jobs of the runs whose questions this worker took, each read once.
    private let jobs = JobCache()
    /// Whether a question's tree is saved with its item at every change, so that whoever claims
    /// the item after this worker died goes on from it; nil: a question claimed again after this
    /// worker starts over (a worker goes on from a saved tree either way).
    public let savingProgress: ProgressSaving?

    /// How a worker keeps each question's tree with its item as it grows (one statement per
    /// change, the whole tree so far each time): worth it where an action is dear (a person's),
    /// not where it is a script's.
    public struct ProgressSaving: Sendable {
        /// Told, after each save, which workspaces it stored (with their ids in the run).
        public var saved: @Sendable (_ run: String, _ workspaces: [WorkspaceID]) async -> Void

        public init(saved: @escaping @Sendable (_ run: String, _ workspaces: [WorkspaceID]) async -> Void = { _, _ in }) {
            self.saved = saved
        }
    }

    public init(
        store: any RunStore & WorkQueue, name: String, leaseSeconds: Double, chat: (any ChatModel)? = nil,
        savingProgress: ProgressSaving? = nil,
        agents: @escaping @Sendable (StoredTree.Job, WorkLease) throws -> (supervisor: any Supervisor, assistant: any Assistant)
    ) {
        precondition(leaseSeconds > 0, "AmplificationWorker: leaseSeconds must be > 0, got \(leaseSeconds)")
        self.store = store
        self.name = name
        self.leaseSeconds = leaseSeconds
        self.chat = chat
        self.savingProgress = savingProgress
        self.agents = agents
    }

    /// What the worker can take: questions and targets, and the calls of its model if it has one.
    public var kinds: Set<WorkItemKind> {
        var kinds: Set<WorkItemKind> = [.question, .targets]
        if let chat { kinds.insert(.modelCall(model: chat.model)) }
        return kinds
    }

    /// Works items of run `run` (of every running run when nil) until `run` has none left
    /// open, or, without a run, until cancelled; returns how many items it completed.
    ///
    /// - Parameter slots: items worked at once, each under its own lease: more than one where the
    ///   work mostly waits (a model's replies), so that one process keeps several calls in flight.
    @discardableResult
    public func work(run: String?, slots: Int = 1, event: @escaping @Sendable (Event) -> Void = { _ in }) async throws -> Int {
        precondition(slots >= 1, "AmplificationWorker: slots must be >= 1, got \(slots)")
        let line = ClaimLine()
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<slots { group.addTask { try await work(run: run, line: line, event: event) } }
            return try await group.reduce(0, +)
        }
    }

    /// One slot's loop: claims an item, in turn with the process's other idle slots, and works
    /// it; then the next.
    private func work(run: String?, line: ClaimLine, event: @Sendable (Event) -> Void) async throws -> Int {
        var completed = 0
        while !Task.isCancelled {
            await line.enter()
            let lease: WorkLease?
            do {
                lease = try await claim(run: run)
            } catch {
                await line.leave()
                throw error
            }
            await line.leave()
            guard let lease else { break }
            if try await work(on: lease, event: event) { completed += 1 }
        }
        return completed
    }

    /// The next item, waiting for one as long as needed; nil once run `run` has nothing more, or
    /// the task is cancelled.
    private func claim(run: String?) async throws -> WorkLease? {
        while !Task.isCancelled {
            if let lease = try store.claim(worker: name, leaseSeconds: leaseSeconds, run: run, kinds: kinds) { return lease }
            if let run, try hasNoMoreWork(run) { return nil }
            await store.waitForWork(seconds: min(2, leaseSeconds / 2))
        }
        return nil
    }

    /// Whether run `run` has no item open and will get none: a run of queued questions is
    /// completed with its last item, while a training run gets one generation at a time, and a
    /// run whose model calls workers make one call at a time, for as long as it runs.
    private func hasNoMoreWork(_ run: String) throws -> Bool {
        let counts = try store.workCounts(run: run)
        guard counts.queued + counts.leased == 0 else { return false }
        return try store.run(id: run).status != .running
    }

    /// Works the item while a heartbeat renews the lease every third of it, and completes it:
    /// a main question's tree, a training run's targets (``SharedTargets``), or a model's reply
    /// (``SharedModelCalls``); false when the item was taken from this worker meanwhile.
    public func work(on lease: WorkLease, event: @Sendable (Event) -> Void = { _ in }) async throws -> Bool {
        let answered: Event
        let work: @Sendable (Data) async throws -> Data
        switch lease.kind {
        case .question:
            return try await grow(lease, event: event)
        case .targets:
            let run = try store.run(id: lease.run)
            (answered, work) = (.grewTargets(lease), { try await SharedTargets.reply(to: $0, of: run) })
        case .modelCall(let model):
            guard let chat, chat.model == model else {
                preconditionFailure("AmplificationWorker: claimed a call of model \(model), which it does not serve")
            }
            (answered, work) = (.calledModel(lease), { try await SharedModelCalls.reply(to: $0, of: lease.run, with: chat) })
        }
        guard let payload = try store.request(of: lease) else {
            throw ApplicationError.unreadableRun(run: lease.run, problem: "item \(lease.item) has no request")
        }
        guard let reply = try await holding(lease, { try await work(payload) }), try store.complete(lease, reply: reply) else {
            event(.fenced(lease))
            return false
        }
        event(answered)
        return true
    }

    /// Grows main question `lease.item`'s tree, from where an earlier claim saved it if one did
    /// (a server of people that died), and completes the item with it.
    private func grow(_ lease: WorkLease, event: @Sendable (Event) -> Void) async throws -> Bool {
        let job = try jobs.job(of: lease.run, in: store)
        let (supervisor, assistant) = try agents(job, lease)
        let saved = try store.request(of: lease).map {
            do {
                return try JSONDecoder().decode(SavedAmplification.self, from: $0)
            } catch {
                throw ApplicationError.unreadableRun(run: lease.run, problem: "the progress saved for item \(lease.item): \(error)")
            }
        }
        let save = savingProgress.map { saving in
            { @Sendable [store] (tree: SavedAmplification, workspaces: [WorkspaceID]) async throws in
                guard try store.save(lease, progress: JSONEncoder().encode(tree)) else { throw ItemTaken() }
                await saving.saved(lease.run, workspaces)
            }
        }
        let snapshots: [WorkspaceSnapshot]?
        do {
            snapshots = try await holding(lease) {
                try await SharedAmplification.tree(
                    of: lease.item, in: job, supervisor: supervisor, assistant: assistant, resuming: saved, changed: save)
            }
        } catch is ItemTaken {
            snapshots = nil
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

/// The jobs of shared runs, each read and decoded once: a run's job does not change, and one of
/// thousands of questions is megabytes of JSON, which a worker would otherwise read again for
/// every question it takes. A worker serving every running run for days keeps only the latest
/// few.
private final class JobCache: Sendable {
    private static let capacity = 8
    private let jobs = Mutex<[String: StoredTree.Job]>([:])

    func job(of run: String, in store: any RunStore) throws -> StoredTree.Job {
        if let job = jobs.withLock({ $0[run] }) { return job }
        let job = try StoredTree.job(of: store.run(id: run))
        jobs.withLock { jobs in
            if jobs.count >= Self.capacity { jobs.removeAll() }
            jobs[run] = job
        }
        return job
    }
}

/// Another claim took the item: the tree grown here goes no further.
private struct ItemTaken: Error {}

/// Where the claims of one process wait their turn: one at a time, so that a notification wakes
/// one claim per worker process rather than one per idle slot (all but one of which would find
/// nothing), and a server's people each claim a question of their own rather than two claiming
/// for one. Whoever claims passes the turn on at once.
public actor ClaimLine {
    private var taken = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init() {}

    public func enter() async {
        guard taken else {
            taken = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    public func leave() {
        if waiting.isEmpty {
            taken = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
