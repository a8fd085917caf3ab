#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

/// A run's work shared out among worker processes, on any machine that reaches the database:
/// each main question of a stored amplification job is one item, claimed under a lease; so is
/// each generation of a training run's targets and each language-model call of a run whose calls
/// are made by workers, items with a request and, once done, a reply that the run's process
/// consumes (``WorkItemKind``).
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

    /// Takes the first item of one of `kinds` that is queued or whose lease has expired, of run
    /// `run` or of any running run, and leases it to `worker` for `leaseSeconds`; nil when there
    /// is none. A worker names the kinds it can work: one without a model leaves model calls to
    /// the workers of that model.
    func claim(worker: String, leaseSeconds: Double, run: String?, kinds: Set<WorkItemKind>) throws -> WorkLease?

    /// Extends `lease` by `leaseSeconds` from now; false when the item is no longer held under it.
    func renew(_ lease: WorkLease, leaseSeconds: Double) throws -> Bool

    /// Marks the item done and writes its workspaces, in one transaction, when `lease` still
    /// holds it, and returns the run's counts after it; nil, and nothing written, when another
    /// claim took the item. The run is completed with its last item.
    func complete(_ lease: WorkLease, workspaces: [WorkspaceRecord]) throws -> WorkCounts?

    /// Adds items of run `run`, of kind `kind`, queued with their requests (by item number), in
    /// one transaction, and wakes waiting workers once: generations of a training run's targets,
    /// or language-model calls. One notification for many items matters: every idle worker
    /// wakes at each, and all but one find nothing.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``; the database's refusal when the run already has
    ///   one of the items (``nextItem(run:)`` gives a free number).
    func enqueue(run: String, kind: WorkItemKind, requests: [Int: Data]) throws

    /// The request `lease`'s item was queued with; for a main question's item, the progress an
    /// earlier claim saved (``save(_:progress:)``), nil when none did.
    func request(of lease: WorkLease) throws -> Data?

    /// Keeps `progress` with a main question's item (its tree so far) while `lease` still holds
    /// it: whoever claims the item next reads it (``request(of:)``) and goes on from it rather
    /// than starting over. False, and nothing written, when another claim took the item. The
    /// completion drops it.
    func save(_ lease: WorkLease, progress: Data) throws -> Bool

    /// Marks the item done with `reply` when `lease` still holds it, and wakes the waiting
    /// process; false, and nothing written, when another claim took it. Unlike
    /// ``complete(_:workspaces:)`` it never completes the run: such a run ends with the process
    /// that queued the item.
    func complete(_ lease: WorkLease, reply: Data) throws -> Bool

    /// The replies of those of items `items` of run `run` that are done, by item, each handed
    /// over once: an item's request and reply are dropped as it is read (nobody has further use
    /// for them, and the teacher's weights in a request are megabytes). An item not done yet, or
    /// already handed over, is left out.
    func takeReplies(run: String, items: [Int]) throws -> [Int: Data]

    /// Ends every item of run `run`: those not done are marked done without a reply (a late
    /// holder's completion is then refused), and every request and reply is dropped. A process
    /// that queues a run's items (a trainer, a run whose model calls workers make) calls it before
    /// its first, so that what an earlier process of the run left is neither worked nor read; item
    /// numbers are never reused (``nextItem(run:)``).
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

    /// Returns when a reply may have come in (a worker completed an item with one), or after
    /// `seconds`, whichever comes first: what the process that queued the item waits on. A
    /// reply wakes no idle worker.
    func waitForReplies(seconds: Double) async
}

extension WorkQueue {
    /// ``enqueue(run:kind:requests:)`` of one item.
    public func enqueue(run: String, item: Int, kind: WorkItemKind, request: Data) throws {
        try enqueue(run: run, kind: kind, requests: [item: request])
    }

    /// ``claim(worker:leaseSeconds:run:kinds:)`` of what needs no model: questions and targets.
    public func claim(worker: String, leaseSeconds: Double, run: String?) throws -> WorkLease? {
        try claim(worker: worker, leaseSeconds: leaseSeconds, run: run, kinds: [.question, .targets])
    }
}

/// What an item is, and so what a worker must be able to do to take it.
public enum WorkItemKind: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A main question of a shared amplification, completed with its tree.
    case question
    /// One generation of an IA run's targets, its request the teacher and the instances.
    case targets
    /// One request to language model `model`, which only a worker serving that model answers.
    case modelCall(model: String)

    /// As the database stores it: `question`, `targets`, `model-call:NAME`.
    public var description: String {
        switch self {
        case .question: "question"
        case .targets: "targets"
        case .modelCall(let model): "model-call:\(model)"
        }
    }

    /// The kind `stored` stands for; nil for text no ida writes.
    public init?(stored: String) {
        switch stored {
        case "question": self = .question
        case "targets": self = .targets
        default:
            let prefix = "model-call:"
            guard stored.hasPrefix(prefix), stored.count > prefix.count else { return nil }
            self = .modelCall(model: String(stored.dropFirst(prefix.count)))
        }
    }

    public init(from decoder: any Decoder) throws {
        let stored = try decoder.singleValueContainer().decode(String.self)
        guard let kind = WorkItemKind(stored: stored) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no work item kind: \(stored)"))
        }
        self = kind
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// One item held by one worker until its lease expires.
public struct WorkLease: Sendable, Hashable, Codable {
    public var run: String
    /// The item's index: the main question it stands for, the training run's generation, or the
    /// run's model call.
    public var item: Int
    public var kind: WorkItemKind
    /// The fencing token: the item's claim count, this claim's.
    public var token: Int

    public init(run: String, item: Int, kind: WorkItemKind, token: Int) {
        self.run = run
        self.item = item
        self.kind = kind
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
