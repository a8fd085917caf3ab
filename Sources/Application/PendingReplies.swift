#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation
import Store

/// The items of one kind one process queues and waits on for their replies (a training run's
/// generations, a run's model calls): numbered, queued in batches, and collected by one loop that
/// reads every finished reply in one statement whenever the queue says a reply came in, rather
/// than each waiting item asking the database for its own (hundreds in flight would ask hundreds
/// of times per reply).
///
/// The first item of a run ends the items an earlier process of the run left
/// (``Store/WorkQueue/retireItems(run:)``) and is numbered after them: a resumed run asks again for
/// what it still needs, and item numbers are never reused.
actor PendingReplies {
    let store: any RunStore & WorkQueue
    let kind: WorkItemKind
    let pollSeconds: Double
    let waitNoteSeconds: Double
    let waiting: @Sendable (_ oldest: Int, _ waiting: Int, _ seconds: Double) async -> Void
    private var nextItem: Int?
    private var pending: [Int: (reply: CheckedContinuation<Data, any Error>, since: ContinuousClock.Instant)] = [:]
    /// Items waited on and not yet queued, by item.
    private var outbox: [Int: Data] = [:]
    private var sending = false
    private var collecting = false
    /// The oldest waiting item, and how many times it was said to wait.
    private var notedOldest: Int?
    private var notes = 0
    private let clock = ContinuousClock()

    /// - Parameters:
    ///   - pollSeconds: how long the collecting loop waits for a notification before it looks for
    ///     replies again.
    ///   - waiting: told when the oldest item has waited `waitNoteSeconds`, and as often again
    ///     after that, its number, how many items wait and for how long the oldest has (a process
    ///     whose workers are all gone would otherwise wait in silence).
    init(
        store: any RunStore & WorkQueue, kind: WorkItemKind, pollSeconds: Double, waitNoteSeconds: Double,
        waiting: @escaping @Sendable (_ oldest: Int, _ waiting: Int, _ seconds: Double) async -> Void
    ) {
        precondition(
            pollSeconds > 0 && waitNoteSeconds > 0,
            "PendingReplies: pollSeconds and waitNoteSeconds must be > 0, got \(pollSeconds), \(waitNoteSeconds)")
        self.store = store
        self.kind = kind
        self.pollSeconds = pollSeconds
        self.waitNoteSeconds = waitNoteSeconds
        self.waiting = waiting
    }

    var waitingCount: Int { pending.count }

    /// Queues an item of run `run` with `request` and returns its reply.
    ///
    /// - Throws: `CancellationError` when the task is cancelled; what the store throws.
    func reply(run: String, request: Data) async throws -> Data {
        if nextItem == nil {
            try store.retireItems(run: run)
            nextItem = try store.nextItem(run: run)
        }
        let item = nextItem!
        nextItem = item + 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                pending[item] = (continuation, clock.now)
                outbox[item] = request
                if !sending {
                    sending = true
                    Task { await send(run: run) }
                }
                if !collecting {
                    collecting = true
                    Task { await collect(run: run) }
                }
            }
        } onCancel: {
            Task { await self.cancel(item) }
        }
    }

    /// Queues the items made meanwhile, as many as have come in, in one statement each time: the
    /// calls a batch of replies sets off go out together and wake the idle workers once.
    private func send(run: String) async {
        defer { sending = false }
        while !outbox.isEmpty {
            let batch = outbox
            outbox = [:]
            do {
                try store.enqueue(run: run, kind: kind, requests: batch)
            } catch {
                for item in batch.keys { pending.removeValue(forKey: item)?.reply.resume(throwing: error) }
            }
            // Lets the calls that came in while the statement ran join the next batch.
            await Task.yield()
        }
    }

    /// Hands out finished replies until no item waits; a failing read fails every waiting item.
    private func collect(run: String) async {
        defer { collecting = false }
        while true {
            do {
                for (item, reply) in try store.takeReplies(run: run, items: Array(pending.keys)) {
                    pending.removeValue(forKey: item)?.reply.resume(returning: reply)
                }
            } catch {
                for call in pending.values { call.reply.resume(throwing: error) }
                pending = [:]
                outbox = [:]
                return
            }
            guard let (oldest, entry) = pending.min(by: { $0.value.since < $1.value.since }) else { return }
            if oldest != notedOldest {
                (notedOldest, notes) = (oldest, 0)
            }
            let waited = (clock.now - entry.since).seconds
            if waited >= Double(notes + 1) * waitNoteSeconds {
                notes += 1
                await waiting(oldest, pending.count, waited)
            }
            await store.waitForReplies(seconds: pollSeconds)
        }
    }

    /// Ends a wait given up. Its item, if already queued, is still worked by a worker; the reply is
    /// never read and stays in the database until the run's next process retires the items.
    private func cancel(_ item: Int) {
        outbox[item] = nil
        pending.removeValue(forKey: item)?.reply.resume(throwing: CancellationError())
    }
}
