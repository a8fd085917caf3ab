import Foundation
import LanguageModels
import Store
import Synchronization
import Testing

import class StoreTestSupport.FreshDatabase
import enum StoreTestSupport.StoreBackend

@testable import Application
@testable import StorePostgres

/// A run's model calls through the queue, in one process: the calls' side (``SharedModelCalls``)
/// and a worker's (``AmplificationWorker`` with a model), on the real PostgreSQL server.
@Suite(.enabled(if: StoreBackend.server != nil, "IDA_POSTGRES_TEST_URL names no server"), .serialized)
struct SharedModelCallsTests {
    /// A model that answers each request with its last message reversed, and counts them.
    final class Reversing: ChatModel {
        let model = "reversing"
        let endpoint = "test"
        let requests = Mutex(0)

        func complete(_ request: ChatRequest) async throws -> ChatReply {
            requests.withLock { $0 += 1 }
            return ChatReply(
                content: String(request.messages.last!.content.reversed()), promptTokens: 3, completionTokens: 2,
                finishReason: .stop)
        }
    }

    static func newRun(in store: PostgresStore) throws -> RunRecord {
        try store.createRun(
            NewRun(kind: .hch, task: "text", preset: "-", schedule: "amplify", configuration: "{}", seed: 0, createdAt: Date()))
    }

    static func request(_ text: String) -> ChatRequest {
        ChatRequest(messages: [ChatMessage(.user, text)])
    }

    /// Calls made before any worker serves the model wait, and say so; once a worker of the
    /// model runs, each gets its own reply, made once; a worker of another model takes none.
    @Test(.timeLimit(.minutes(3))) func callsWaitForAWorkerOfTheirModelAndGetTheirOwnReplies() async throws {
        let fresh = try FreshDatabase(.postgres)
        defer { withExtendedLifetime(fresh) {} }
        let store = try #require(try fresh.open() as? PostgresStore)
        defer { try? store.close() }
        let run = try Self.newRun(in: store)
        let notes = Mutex<[Int]>([])
        let calls = SharedModelCalls(store: store, model: "reversing", waitNoteSeconds: 0.3) { waiting, _ in
            notes.withLock { $0.append(waiting) }
        }
        calls.begin(run: run.id)

        let texts = (0..<12).map { "question \($0)" }
        let replies = Task {
            try await withThrowingTaskGroup(of: (String, ChatReply).self) { group in
                for text in texts { group.addTask { (text, try await calls.complete(Self.request(text))) } }
                return try await group.reduce(into: [String: ChatReply]()) { $0[$1.0] = $1.1 }
            }
        }
        // All twelve queued, and said to wait (on a loaded machine the calls start one by one).
        while try store.workCounts(run: run.id).queued < 12 || !notes.withLock({ $0.contains(12) }) {
            try await Task.sleep(for: .milliseconds(100))
        }

        let other = Reversing()
        let stranger = AmplificationWorker(store: store, name: "other", leaseSeconds: 30, chat: OtherModel(base: other)) { _, _ in
            preconditionFailure("no question is queued")
        }
        #expect(try store.claim(worker: "other", leaseSeconds: 30, run: run.id, kinds: stranger.kinds) == nil)

        let model = Reversing()
        let worker = Task {
            try await AmplificationWorker(store: store, name: "worker", leaseSeconds: 30, chat: model) { _, _ in
                preconditionFailure("no question is queued")
            }.work(run: run.id, slots: 3)
        }
        let answered = try await replies.value
        for text in texts { #expect(answered[text]?.content == String(text.reversed())) }
        #expect(model.requests.withLock { $0 } == 12 && other.requests.withLock { $0 } == 0)

        let counts = try store.workCounts(run: run.id)
        #expect(counts == WorkCounts(queued: 0, leased: 0, done: 12, claims: 12))
        try store.updateRun(run.id, status: .completed, updatedAt: Date(), wallSeconds: nil, report: nil)
        #expect(try await worker.value == 12, "the worker leaves with the run")
    }

    /// A call given up (its task cancelled) ends at once; the others are still answered.
    @Test(.timeLimit(.minutes(3))) func aCancelledCallEndsAndTheOthersGoOn() async throws {
        let fresh = try FreshDatabase(.postgres)
        defer { withExtendedLifetime(fresh) {} }
        let store = try #require(try fresh.open() as? PostgresStore)
        defer { try? store.close() }
        let run = try Self.newRun(in: store)
        let calls = SharedModelCalls(store: store, model: "reversing")
        calls.begin(run: run.id)
        let given = Task { try await calls.complete(Self.request("given up")) }
        let kept = Task { try await calls.complete(Self.request("kept")) }
        while try store.workCounts(run: run.id).queued < 2 { try await Task.sleep(for: .milliseconds(100)) }
        given.cancel()
        await #expect(throws: CancellationError.self) { try await given.value }

        let worker = Task {
            try await AmplificationWorker(store: store, name: "worker", leaseSeconds: 30, chat: Reversing()) { _, _ in
                preconditionFailure("no question is queued")
            }.work(run: nil)
        }
        defer { worker.cancel() }
        #expect(try await kept.value.content == "tpek")
    }

    /// Another model's name in front of `base`.
    struct OtherModel: ChatModel {
        let base: Reversing
        var model: String { "other" }
        var endpoint: String { base.endpoint }
        func complete(_ request: ChatRequest) async throws -> ChatReply { try await base.complete(request) }
    }
}
