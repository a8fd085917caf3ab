#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation
import LanguageModels
import Store
import Synchronization

/// A run's language-model calls made by workers: each request is one work item of the run (kind
/// ``Store/WorkItemKind/modelCall(model:)``), which an `ida worker` serving that model claims,
/// sends to its endpoint and completes with the reply; the run's process, waiting, reads it.
///
/// The run's engine stays in one process: it grows the tree, keeps its journal and its budget,
/// and puts the response cache in front of this model (a request seen before is never queued).
/// What moves to the workers is the waiting on slow endpoints, on whichever machines serve the
/// model, as many calls at once as the run's engine has in flight. A worker killed mid-call loses
/// only that call, claimed again once its lease runs out; a late worker's reply is refused.
///
/// Calls are items of the run that makes them, so the run's id is needed before the first:
/// ``begin(run:)``, from the job's `started` callback.
public final class SharedModelCalls: ChatModel {
    /// What replies got through workers are cached under, in place of an endpoint's URL: the
    /// workers of one model may each reach it at another address.
    public static let endpoint = "ida worker"

    public let model: String
    public var endpoint: String { Self.endpoint }
    private let run = Mutex<String?>(nil)
    private let calls: PendingCalls

    /// - Parameters:
    ///   - pollSeconds: how long a call waits for a notification before looking for its reply
    ///     again.
    ///   - waiting: told when the oldest call has waited `waitNoteSeconds`, and as often again
    ///     after that, how many calls wait and for how long the oldest has (a run whose workers
    ///     are all gone would otherwise wait in silence).
    public init(
        store: any RunStore & WorkQueue, model: String, pollSeconds: Double = 0.25, waitNoteSeconds: Double = 15,
        waiting: @escaping @Sendable (_ calls: Int, _ seconds: Double) -> Void = { _, _ in }
    ) {
        precondition(
            pollSeconds > 0 && waitNoteSeconds > 0,
            "SharedModelCalls: pollSeconds and waitNoteSeconds must be > 0, got \(pollSeconds), \(waitNoteSeconds)")
        self.model = model
        calls = PendingCalls(
            store: store, kind: .modelCall(model: model), pollSeconds: pollSeconds, waitNoteSeconds: waitNoteSeconds,
            waiting: waiting)
    }

    /// The run whose items the calls are, set once it exists (before its engine's first call).
    /// The first call ends the items an earlier process of the run left (a resumed run asks again
    /// what it still needs), and numbers the next after them.
    public func begin(run id: String) {
        run.withLock { $0 = id }
    }

    public func complete(_ request: ChatRequest) async throws -> ChatReply {
        guard let run = run.withLock({ $0 }) else {
            preconditionFailure("SharedModelCalls: a call before begin(run:)")
        }
        let reply = try await calls.call(run: run, request: try JSONEncoder().encode(request))
        do {
            return try JSONDecoder().decode(ChatReply.self, from: reply)
        } catch {
            throw ApplicationError.unreadableRun(run: run, problem: "a model call's reply does not decode")
        }
    }

    /// How many calls wait for their replies now.
    public func waitingCalls() async -> Int {
        await calls.waitingCount
    }

    /// A worker's side: `chat`'s reply to one call of model `model` (the item's kind).
    ///
    /// - Throws: ``ApplicationError/unreadableRun(run:problem:)`` for a request this ida does not
    ///   read; what `chat` throws.
    static func reply(to payload: Data, of run: String, with chat: any ChatModel) async throws -> Data {
        let request: ChatRequest
        do {
            request = try JSONDecoder().decode(ChatRequest.self, from: payload)
        } catch {
            throw ApplicationError.unreadableRun(run: run, problem: "a model call's request does not decode")
        }
        return try JSONEncoder().encode(try await chat.complete(request))
    }
}

/// The calls one process waits on: numbered, queued in batches, and collected by one loop that
/// reads every finished reply in one statement whenever the queue says a reply came in, rather
/// than each call asking the database for its own (hundreds in flight would ask hundreds of times
/// per reply).
private actor PendingCalls {
    let store: any RunStore & WorkQueue
    let kind: WorkItemKind
    let pollSeconds: Double
    let waitNoteSeconds: Double
    let waiting: @Sendable (_ calls: Int, _ seconds: Double) -> Void
    private var nextItem: Int?
    private var pending: [Int: (reply: CheckedContinuation<Data, any Error>, since: ContinuousClock.Instant)] = [:]
    /// Calls made and not yet queued, by item.
    private var outbox: [Int: Data] = [:]
    private var sending = false
    private var collecting = false
    /// The oldest waiting call's start, and how many times it was said to wait.
    private var notedOldest: ContinuousClock.Instant?
    private var notes = 0
    private let clock = ContinuousClock()

    init(
        store: any RunStore & WorkQueue, kind: WorkItemKind, pollSeconds: Double, waitNoteSeconds: Double,
        waiting: @escaping @Sendable (_ calls: Int, _ seconds: Double) -> Void
    ) {
        self.store = store
        self.kind = kind
        self.pollSeconds = pollSeconds
        self.waitNoteSeconds = waitNoteSeconds
        self.waiting = waiting
    }

    var waitingCount: Int { pending.count }

    func call(run: String, request: Data) async throws -> Data {
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

    /// Queues the calls made meanwhile, as many as have come in, in one statement each time: the
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

    /// Hands out finished replies until no call waits; a failing read fails every waiting call.
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
            guard let oldest = pending.values.map(\.since).min() else { return }
            if oldest != notedOldest {
                (notedOldest, notes) = (oldest, 0)
            }
            let waited = (clock.now - oldest).seconds
            if waited >= Double(notes + 1) * waitNoteSeconds {
                notes += 1
                waiting(pending.count, waited)
            }
            await store.waitForReplies(seconds: pollSeconds)
        }
    }

    /// Ends a call given up. Its item, if already queued, is still answered by a worker; the reply
    /// is never read and stays in the database until the run's next process retires the items.
    private func cancel(_ item: Int) {
        outbox[item] = nil
        pending.removeValue(forKey: item)?.reply.resume(throwing: CancellationError())
    }
}
