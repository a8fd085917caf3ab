import Amplification
import Application
import Foundation
import Logging
import Store
import Tasks

/// The questions of shared runs (`ida queue`, on PostgreSQL) that the server claims for the
/// people signed in to it, from the queue `ida worker`s take from: the server is one more worker,
/// whose supervisor is its ``PersonDesk``.
///
/// A question is claimed when someone asks for a workspace and none is waiting for them, so the
/// server holds about as many questions as its people are working. Its tree grows here, its
/// workspaces waiting on the desk as a hosted run's do; the tree so far is saved with the item at
/// every action (and the action acknowledged to its person only then), and stored whole with its
/// last answer, in one transaction under the claim's fencing token, as a worker stores it. The
/// lease is renewed every third of its term meanwhile. A server that dies loses no action it
/// acknowledged: once the lease has run out, the next server to claim the question goes on from
/// what was saved. If that happens while the server lives on (its renewals failed), the
/// question's workspaces leave its desk.
actor QueuedQuestions {
    let queue: any RunStore & WorkQueue
    let desk: PersonDesk
    /// Who the server is in the queue (`host:pid`, as a worker).
    let name: String
    let leaseSeconds: Double
    private let logger: Logger
    /// The queue's worker whose supervisor is the desk.
    private let worker: AmplificationWorker
    /// The questions held, each growing in its own task.
    private var held: [WorkLease: Task<Void, Never>] = [:]
    /// One claim at a time: a person whose turn comes after another's claim may find a
    /// workspace of it free.
    private let line = ClaimLine()
    /// Whether someone found nothing to take, in the queue either, since the desk's pages were
    /// last told to look again.
    private var wanting = false

    init(queue: any RunStore & WorkQueue, desk: PersonDesk, name: String, leaseSeconds: Double, logger: Logger) {
        precondition(leaseSeconds > 0, "QueuedQuestions: leaseSeconds must be > 0, got \(leaseSeconds)")
        self.queue = queue
        self.desk = desk
        self.name = name
        self.leaseSeconds = leaseSeconds
        self.logger = logger
        // A person's action is acknowledged once the question's tree with it is saved.
        worker = AmplificationWorker(
            store: queue, name: name, leaseSeconds: leaseSeconds,
            savingProgress: .init { run, workspaces in await desk.recorded(workspaces, of: run) }
        ) { job, lease in
            (Self.people(at: desk, working: lease), try Self.assistant(of: job))
        }
    }

    /// A workspace for `person`: one a question claimed while they waited their turn has for
    /// them, else one of the next queued question of any running shared run, claimed for them
    /// and started (questions whose saved tree was already answered, their server having died
    /// between the last answer and the store, are stored on the way); nil when nothing is
    /// queued.
    ///
    /// - Throws: the database's error.
    func claim(for person: String) async throws -> (key: PersonDesk.Key, workspace: Workspace, handedOut: Bool)? {
        while true {
            // In turn only the claim itself: a question's start (reading its job) runs beside
            // the next person's claim.
            await line.enter()
            let lease: WorkLease?
            do {
                if let taken = await desk.take(for: person) {
                    await line.leave()
                    return taken
                }
                lease = try queue.claim(worker: name, leaseSeconds: leaseSeconds, run: nil, kinds: [.question])
            } catch {
                await line.leave()
                throw error
            }
            await line.leave()
            guard let lease else {
                wanting = true
                return nil
            }
            // Until a workspace of it is on the desk, or its tree ended (which the desk also
            // hears of): each change the desk sees wakes the wait.
            var seen = await desk.version
            await start(lease)
            let root = WorkspaceID(root: lease.item + 1)
            let deadline = Date().addingTimeInterval(10)
            while held[lease] != nil, Date() < deadline,
                await !desk.waitingWorkspaces(of: lease.run).contains(where: { $0.node.isWithin(root) })
            {
                seen = await desk.change(after: seen, timeout: .seconds(1))
            }
            if let taken = await desk.take(for: person) { return taken }
        }
    }

    /// Grows `lease`'s question in a task of its own, the people at the desk its supervisor; an
    /// earlier claim of the same question, whose lease ran out while the server was starved,
    /// ends first (its workspaces leave the desk before the new claim's arrive).
    private func start(_ lease: WorkLease) async {
        for (earlier, task) in held where earlier.run == lease.run && earlier.item == lease.item {
            task.cancel()
            await task.value
        }
        held[lease] = Task { [worker, desk, logger] in
            do {
                if try await !worker.work(on: lease) {
                    logger.warning("ida serve: \(Self.describe(lease)) was taken by another claim; its workspaces left this desk")
                }
            } catch is CancellationError {
            } catch {
                logger.error("ida serve: \(Self.describe(lease)): \(error)")
            }
            await desk.ended(lease.run, root: WorkspaceID(root: lease.item + 1))
            self.ended(lease)
        }
    }

    private func ended(_ lease: WorkLease) {
        held[lease] = nil
    }

    /// The questions held now.
    var leases: [WorkLease] {
        held.keys.sorted { ($0.run, $0.item) < ($1.run, $1.item) }
    }

    /// Tells the desk's live pages to look again whenever work is queued (or every few seconds:
    /// a lease that ran out sends no notification) while someone is waiting for it; until the
    /// task is cancelled.
    func watch() async {
        while !Task.isCancelled {
            await queue.waitForWork(seconds: 5)
            if wanting {
                wanting = false
                await desk.nudge()
            }
        }
    }

    /// Ends every question held: its workspaces leave the desk, and its lease runs out for
    /// another server or worker to claim it.
    func shutDown() async {
        for task in held.values { task.cancel() }
        for task in held.values { await task.value }
        held.removeAll()
    }

    /// The people at `desk` as the supervisor of question `lease.item`, its workspaces placed
    /// under the root the question has in the whole run.
    private static func people(at desk: PersonDesk, working lease: WorkLease) -> PersonSupervisor {
        let run = PersonSupervisor.RunName()
        run.set(lease.run)
        return PersonSupervisor(desk: desk, run: run, ordinalOffset: lease.item)
    }

    /// Who answers below the job's depth: nobody (as in a run the server hosts).
    private static func assistant(of job: StoredTree.Job) throws -> any Assistant {
        switch job {
        case .text: ConstantAssistant.unknown(in: TextDomain())
        case .task(let job): ConstantAssistant.unknown(in: TaskDomain(try TaskCatalog.task(named: job.task, preset: job.preset)))
        }
    }

    private static func describe(_ lease: WorkLease) -> String {
        "question \(lease.item + 1) of queued run \(lease.run)"
    }
}
