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
    private let calls: PendingReplies

    /// - Parameter waiting: told when the oldest call has waited `waitNoteSeconds`, and as often
    ///   again after that, how many calls wait and for how long the oldest has (``PendingReplies``).
    public init(
        store: any RunStore & WorkQueue, model: String, pollSeconds: Double = 0.25, waitNoteSeconds: Double = 15,
        waiting: @escaping @Sendable (_ calls: Int, _ seconds: Double) -> Void = { _, _ in }
    ) {
        self.model = model
        calls = PendingReplies(
            store: store, kind: .modelCall(model: model), pollSeconds: pollSeconds, waitNoteSeconds: waitNoteSeconds,
            waiting: { _, calls, seconds in waiting(calls, seconds) })
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
        let reply = try await calls.reply(run: run, request: try JSONEncoder().encode(request))
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
