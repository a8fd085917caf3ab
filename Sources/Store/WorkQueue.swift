#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

/// A run's work shared out among worker processes, on any machine that reaches the database:
/// each main question of a stored amplification job is one item, claimed under a lease; so is
/// each generation of a training run's targets, an item with a request and, once done, a reply
/// that the run's trainer consumes.
///
/// A worker ``claim(worker:leaseSeconds:run:)``s an item, works it, ``renew(_:leaseSeconds:)``s
/// its lease while it works (a heartbeat), and ``complete(_:workspaces:)``s it with the item's
/// whole tree in one transaction. A worker that dies stops renewing: once its lease has expired
/// the item is claimed again, by the next worker that asks. Each claim carries a fencing token,
/// one more than the item's last; a completion or a renewal under a token that is no longer the
/// item's is refused, so a worker that was presumed dead and comes back cannot write over the
/// work of the one that took its item, and every item's tree is written exactly once.
///
/// Leases are timed by the database's clock, not the workers': machines whose clocks disagree
/// still agree on when a lease ran out.
public protocol WorkQueue: Sendable {
    /// Adds items `0..<count` of run `run`, queued.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    func enqueue(run: String, count: Int) throws

    /// Takes the first item that is queued or whose lease has expired, of run `run` or of any
    /// running run, and leases it to `worker` for `leaseSeconds`; nil when there is none.
    func claim(worker: String, leaseSeconds: Double, run: String?) throws -> WorkLease?

    /// Extends `lease` by `leaseSeconds` from now; false when the item is no longer held under it.
    func renew(_ lease: WorkLease, leaseSeconds: Double) throws -> Bool

    /// Marks the item done and writes its workspaces, in one transaction, when `lease` still
    /// holds it, and returns the run's counts after it; nil, and nothing written, when another
    /// claim took the item. The run is completed with its last item.
    func complete(_ lease: WorkLease, workspaces: [WorkspaceRecord]) throws -> WorkCounts?

    /// Adds item `item` of run `run` with `request`, queued, and wakes waiting workers: one
    /// generation of a training run's targets.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``; the database's refusal when the run already has
    ///   an item `item` (``nextItem(run:)`` gives a free number).
    func enqueue(run: String, item: Int, request: Data) throws

    /// The request `lease`'s item was queued with; nil for a main question's item.
    func request(of lease: WorkLease) throws -> Data?

    /// Marks the item done with `reply` when `lease` still holds it, and wakes the waiting
    /// trainer; false, and nothing written, when another claim took it. Unlike
    /// ``complete(_:workspaces:)`` it never completes the run: a training run ends with its trainer.
    func complete(_ lease: WorkLease, reply: Data) throws -> Bool

    /// The reply of item `item` of run `run` once it is done, handed over once: the item's
    /// request and reply are dropped as it is read (the trainer has no further use for them, and
    /// the teacher's weights in a request are megabytes). Nil before the item is done, and after.
    func takeReply(run: String, item: Int) throws -> Data?

    /// Ends every item of run `run`: those not done are marked done without a reply (a late
    /// holder's completion is then refused), and every request and reply is dropped. A trainer
    /// starting or resuming a run calls it, so that what an earlier trainer left is neither
    /// worked nor read; item numbers are never reused (``nextItem(run:)``).
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    func retireItems(run: String) throws

    /// One more than the largest item number run `run` has had (0 for none).
    func nextItem(run: String) throws -> Int

    /// How many of run `run`'s items are in each state.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    func workCounts(run: String) throws -> WorkCounts

    /// Returns when work may have become available (another process enqueued items), or after
    /// `seconds`, whichever comes first.
    func waitForWork(seconds: Double) async
}

/// One item held by one worker until its lease expires.
public struct WorkLease: Sendable, Hashable, Codable {
    public var run: String
    /// The item's index: the main question it stands for, or the training run's generation.
    public var item: Int
    /// The fencing token: the item's claim count, this claim's.
    public var token: Int

    public init(run: String, item: Int, token: Int) {
        self.run = run
        self.item = item
        self.token = token
    }
}

/// A run's items by state.
public struct WorkCounts: Sendable, Hashable, Codable {
    public var queued: Int
    /// Held under a lease, expired or not.
    public var leased: Int
    public var done: Int
    /// Claims made in all: more than the items when leases expired and items were claimed again.
    public var claims: Int

    public init(queued: Int = 0, leased: Int = 0, done: Int = 0, claims: Int = 0) {
        self.queued = queued
        self.leased = leased
        self.done = done
        self.claims = claims
    }

    public var total: Int { queued + leased + done }
}
