import Foundation
import IDATestSupport
import Synchronization
import StoreTestSupport
import Testing

@testable import Store
@testable import StorePostgres

/// The shared queue's leases and fencing on the real PostgreSQL server.
@Suite(.enabled(if: StoreBackend.server != nil, "IDA_POSTGRES_TEST_URL names no server"))
struct WorkQueueTests {
    static func queue(items: Int) throws -> (database: FreshDatabase, store: PostgresStore, run: RunRecord) {
        let database = try FreshDatabase(.postgres)
        let store = try #require(try database.open() as? PostgresStore)
        let run = try store.createRun(StoreFixtures.newRun(kind: .hch))
        try store.enqueue(run: run.id, count: items)
        return (database, store, run)
    }

    static func workspace(_ id: String) -> WorkspaceRecord {
        WorkspaceRecord(
            id: id, parentID: nil, depth: 0, context: 0, question: "q", answer: "a", answeredBy: "expert", state: .answered,
            detail: "{}")
    }

    @Test func claimsTakeEachItemOnceInOrderAndTheLastCompletionCompletesTheRun() throws {
        let (database, store, run) = try Self.queue(items: 3)
        defer { withExtendedLifetime(database) {} }
        let leases = try (0..<3).map { _ in try #require(try store.claim(worker: "w", leaseSeconds: 60, run: run.id)) }
        #expect(leases.map(\.item) == [0, 1, 2] && leases.allSatisfy { $0.token == 1 })
        #expect(try store.claim(worker: "w", leaseSeconds: 60, run: run.id) == nil)
        #expect(try store.workCounts(run: run.id) == WorkCounts(queued: 0, leased: 3, done: 0, claims: 3))
        for (left, lease) in leases.reversed().enumerated() {
            #expect(try store.complete(lease, workspaces: [Self.workspace("\(lease.item + 1)")])?.done == left + 1)
            #expect(try store.run(id: run.id).status == (lease.item == 0 ? .completed : .running))
        }
        #expect(try store.workspaces(run: run.id).map(\.id) == ["1", "2", "3"])
    }

    /// A lease that runs out is claimed again under the next token; the first holder's renewal
    /// and completion are then refused, and write nothing.
    @Test func anExpiredLeaseIsClaimedAgainAndTheLateHolderIsFencedOut() async throws {
        let (database, store, run) = try Self.queue(items: 1)
        defer { withExtendedLifetime(database) {} }
        let first = try #require(try store.claim(worker: "slow", leaseSeconds: 0.2, run: run.id))
        #expect(try store.claim(worker: "other", leaseSeconds: 60, run: run.id) == nil, "the lease still holds")
        try await Task.sleep(for: .milliseconds(400))
        let second = try #require(try store.claim(worker: "other", leaseSeconds: 60, run: run.id))
        #expect(second.item == first.item && second.token == first.token + 1)
        #expect(try !store.renew(first, leaseSeconds: 60))
        #expect(try store.complete(first, workspaces: [Self.workspace("1")]) == nil)
        #expect(try store.workspaces(run: run.id).isEmpty)
        #expect(try store.renew(second, leaseSeconds: 60))
        #expect(try store.complete(second, workspaces: [Self.workspace("1")]) == WorkCounts(done: 1, claims: 2))
        #expect(try store.workCounts(run: run.id) == WorkCounts(done: 1, claims: 2))
    }

    /// A renewed lease outlives its first term.
    @Test func renewingKeepsTheItem() async throws {
        let (database, store, run) = try Self.queue(items: 1)
        defer { withExtendedLifetime(database) {} }
        let lease = try #require(try store.claim(worker: "w", leaseSeconds: 0.5, run: run.id))
        for _ in 0..<4 {
            try await Task.sleep(for: .milliseconds(200))
            #expect(try store.renew(lease, leaseSeconds: 0.5))
        }
        #expect(try store.claim(worker: "other", leaseSeconds: 60, run: run.id) == nil)
    }

    /// Only running runs give out work: a run marked otherwise (paused, stopped) keeps its items.
    @Test func itemsOfARunThatIsNotRunningAreNotClaimed() throws {
        let (database, store, run) = try Self.queue(items: 2)
        defer { withExtendedLifetime(database) {} }
        try store.updateRun(run.id, status: .interrupted, updatedAt: StoreFixtures.time(1))
        #expect(try store.claim(worker: "w", leaseSeconds: 60, run: nil) == nil)
        try store.updateRun(run.id, status: .running, updatedAt: StoreFixtures.time(2))
        #expect(try store.claim(worker: "w", leaseSeconds: 60, run: nil)?.run == run.id)
    }

    /// Eight threads claiming at once (SKIP LOCKED): each of 200 items is claimed exactly once.
    @Test func concurrentClaimersNeverTakeTheSameItem() throws {
        let (database, _, run) = try Self.queue(items: 200)
        let locator = database.locator
        let claimed = Collected<Int>()
        let done = DispatchGroup()
        for worker in 0..<8 {
            done.enter()
            Thread {
                defer { done.leave() }
                guard let store = try? FreshDatabase.open(locator) as? PostgresStore else { return }
                while let lease = try? store.claim(worker: "w\(worker)", leaseSeconds: 60, run: run.id) {
                    claimed.append(lease.item)
                }
            }.start()
        }
        #expect(done.wait(timeout: .now() + 120) == .success)
        #expect(claimed.all.sorted() == Array(0..<200))
    }

    /// The last two items completed at once, from two connections: the run is completed every
    /// time (each completion saw the other's item still leased, and neither completed the run,
    /// before completions took turns at the run's row).
    @Test func theLastItemsCompletedAtOnceCompleteTheRun() throws {
        let database = try FreshDatabase(.postgres)
        let stores = try (0..<3).map { _ in try #require(try database.open() as? PostgresStore) }
        for _ in 0..<40 {
            let run = try stores[0].createRun(StoreFixtures.newRun(kind: .hch))
            try stores[0].enqueue(run: run.id, count: 2)
            let leases = try (0..<2).map { _ in try #require(try stores[0].claim(worker: "w", leaseSeconds: 60, run: run.id)) }
            let done = DispatchGroup()
            let go = DispatchSemaphore(value: 0)
            let completed = Collected<Bool>()
            for (lease, store) in zip(leases, stores.dropFirst()) {
                done.enter()
                Thread {
                    defer { done.leave() }
                    go.wait()
                    completed.append((try? store.complete(lease, workspaces: [Self.workspace("\(lease.item + 1)")])) != nil)
                }.start()
            }
            go.signal()
            go.signal()
            #expect(done.wait(timeout: .now() + 60) == .success)
            #expect(completed.all == [true, true])
            #expect(try stores[0].run(id: run.id).status == .completed)
        }
    }

    /// How long `wait(120)` waited while `action` ran 0.3 s after it began, after a first
    /// `wait(0.5)` that starts the listener. The action runs on a thread of its own: a task's
    /// sleep could wait out the whole timeout when the rest of the suite holds every cooperative
    /// thread.
    static func waited(_ wait: (Double) async -> Void, for action: @escaping @Sendable () -> Void) async -> Duration {
        await wait(0.5)
        let started = ContinuousClock.now
        let done = DispatchSemaphore(value: 0)
        Thread {
            Thread.sleep(forTimeInterval: 0.3)
            action()
            done.signal()
        }.start()
        await wait(120)
        let waited = ContinuousClock.now - started
        done.wait()
        return waited
    }

    /// A queued item wakes a waiting worker well before its timeout (LISTEN/NOTIFY).
    @Test func enqueueingWakesAWaitingWorker() async throws {
        let (database, store, run) = try Self.queue(items: 0)
        defer { withExtendedLifetime(database) {} }
        let waited = await Self.waited({ await store.waitForWork(seconds: $0) }) {
            #expect(throws: Never.self) { try store.enqueue(run: run.id, count: 1) }
        }
        // Far under the timeout, with room for a loaded machine to be slow to resume the waiter;
        // and not before the enqueue.
        #expect(waited < .seconds(60) && waited >= .milliseconds(300), "woken by the notification, not the 120 s timeout: \(waited)")
    }

    /// A reply wakes the process waiting for it well before its timeout, on a channel of its own.
    @Test func aReplyWakesTheProcessWaitingForIt() async throws {
        let database = try FreshDatabase(.postgres)
        let store = try #require(try database.open() as? PostgresStore)
        defer { try? store.close() }
        let run = try store.createRun(StoreFixtures.newRun(kind: .hch))
        try store.enqueue(run: run.id, kind: .modelCall(model: "m"), requests: [0: Data([1]), 1: Data([2])])
        let lease = try #require(try store.claim(worker: "w", leaseSeconds: 60, run: run.id, kinds: [.modelCall(model: "m")]))
        let waited = await Self.waited({ await store.waitForReplies(seconds: $0) }) {
            #expect((try? store.complete(lease, reply: Data([3]))) == true)
        }
        #expect(waited < .seconds(60) && waited >= .milliseconds(300), "woken by the notification, not the 120 s timeout: \(waited)")
        #expect(try store.takeReplies(run: run.id, items: [0, 1]) == [lease.item: Data([3])])
        #expect(try store.workCounts(run: run.id) == WorkCounts(queued: 1, leased: 0, done: 1, claims: 1))
    }

    /// A training run's items carry a request and come back with a reply, which never completes
    /// the run; a late holder's reply is refused, and retiring ends what is open without reusing
    /// its numbers.
    @Test func aTrainingRunsItemsCarryRequestsAndFencedReplies() async throws {
        let database = try FreshDatabase(.postgres)
        let store = try #require(try database.open() as? PostgresStore)
        defer { try? store.close() }
        let run = try store.createRun(StoreFixtures.newRun(kind: .ia))
        #expect(try store.nextItem(run: run.id) == 0)
        try store.enqueue(run: run.id, item: 0, kind: .targets, request: Data([1, 2, 3]))
        try store.enqueue(run: run.id, item: 1, kind: .targets, request: Data(repeating: 7, count: 100_000))
        #expect(try store.nextItem(run: run.id) == 2)

        let slow = try #require(try store.claim(worker: "slow", leaseSeconds: 0.2, run: run.id))
        #expect(try slow.item == 0 && store.request(of: slow) == Data([1, 2, 3]))
        try await Task.sleep(for: .milliseconds(400))
        let fast = try #require(try store.claim(worker: "fast", leaseSeconds: 60, run: run.id))
        #expect(fast.item == 0 && fast.token == slow.token + 1 && fast.kind == .targets)
        #expect(try store.takeReplies(run: run.id, items: [0]).isEmpty)
        #expect(try store.complete(fast, reply: Data([9])))
        #expect(try !store.complete(slow, reply: Data([6])), "the late holder's reply is refused")
        #expect(try store.takeReplies(run: run.id, items: [0, 1]) == [0: Data([9])])
        #expect(try store.takeReplies(run: run.id, items: [0]).isEmpty, "a reply is handed over once")
        #expect(try store.run(id: run.id).status == .running)

        let second = try #require(try store.claim(worker: "fast", leaseSeconds: 60, run: run.id))
        #expect(try second.item == 1 && store.request(of: second)?.count == 100_000)
        try store.retireItems(run: run.id)
        #expect(try !store.complete(second, reply: Data([5])), "a retired item takes no reply")
        #expect(try store.takeReplies(run: run.id, items: [1]).isEmpty)
        #expect(try store.claim(worker: "fast", leaseSeconds: 60, run: run.id) == nil)
        #expect(try store.workCounts(run: run.id).done == 2)
        #expect(try store.nextItem(run: run.id) == 2, "numbers are not reused")
    }

    /// A main question's item has no request.
    @Test func aQuestionsItemHasNoRequest() throws {
        let (database, store, run) = try Self.queue(items: 1)
        defer { withExtendedLifetime(database) {} }
        let lease = try #require(try store.claim(worker: "w", leaseSeconds: 60, run: run.id))
        #expect(try lease.kind == .question && store.request(of: lease) == nil)
    }

    /// A question's progress saved under its lease is what the next claim reads; a save under a
    /// lease another claim took is refused, and the completion drops what was saved.
    @Test func aQuestionsSavedProgressGoesToItsNextClaimAndOnlyUnderItsLease() async throws {
        let (database, store, run) = try Self.queue(items: 1)
        defer { withExtendedLifetime(database) {} }
        let first = try #require(try store.claim(worker: "dies", leaseSeconds: 0.2, run: run.id))
        #expect(try store.save(first, progress: Data("one action".utf8)))
        #expect(try store.save(first, progress: Data("two actions".utf8)), "a later save replaces the earlier")
        try await Task.sleep(for: .milliseconds(400))
        let second = try #require(try store.claim(worker: "next", leaseSeconds: 60, run: run.id))
        #expect(try store.request(of: second) == Data("two actions".utf8))
        #expect(try !store.save(first, progress: Data("late".utf8)), "the first claim's save is fenced out")
        #expect(try store.request(of: second) == Data("two actions".utf8))
        #expect(try store.save(second, progress: Data("three actions".utf8)))
        #expect(try store.complete(second, workspaces: [Self.workspace("1")])?.done == 1)
        #expect(try store.request(of: second) == nil, "the completion drops the saved progress")
        #expect(try !store.save(second, progress: Data("after".utf8)), "a done item takes no more progress")
    }

    /// A worker takes only the kinds it names: a model's calls go to that model's workers, while
    /// questions and targets go to any; replies are taken many at once, each once.
    @Test func aWorkerTakesOnlyTheKindsItCanWork() throws {
        let (database, store, run) = try Self.queue(items: 1)
        defer { withExtendedLifetime(database) {} }
        let calls = try store.createRun(StoreFixtures.newRun(kind: .hch))
        for (item, model) in ["a", "b", "a"].enumerated() {
            try store.enqueue(run: calls.id, item: item, kind: .modelCall(model: model), request: Data(model.utf8))
        }
        #expect(throws: StoreError.runNotFound(id: "r-none")) {
            try store.enqueue(run: "r-none", item: 0, kind: .modelCall(model: "a"), request: Data())
        }
        #expect(throws: (any Error).self, "an item's number is taken once") {
            try store.enqueue(run: calls.id, item: 1, kind: .modelCall(model: "a"), request: Data())
        }
        let question = try #require(try store.claim(worker: "expert", leaseSeconds: 60, run: nil))
        #expect(question.run == run.id && question.kind == .question)
        #expect(try store.claim(worker: "expert", leaseSeconds: 60, run: nil) == nil, "no model, no call")

        let model: Set<WorkItemKind> = [.question, .targets, .modelCall(model: "a")]
        let first = try #require(try store.claim(worker: "a", leaseSeconds: 60, run: nil, kinds: model))
        let second = try #require(try store.claim(worker: "a", leaseSeconds: 60, run: nil, kinds: model))
        #expect(first.kind == .modelCall(model: "a") && [first.item, second.item] == [0, 2])
        #expect(try store.claim(worker: "a", leaseSeconds: 60, run: nil, kinds: model) == nil, "b's call waits for b")
        let other = try #require(try store.claim(worker: "b", leaseSeconds: 60, run: calls.id, kinds: [.modelCall(model: "b")]))
        #expect(try other.item == 1 && store.request(of: other) == Data("b".utf8))

        #expect(try store.complete(first, reply: Data([1])) && store.complete(second, reply: Data([3])))
        #expect(try store.takeReplies(run: calls.id, items: [0, 1, 2]) == [0: Data([1]), 2: Data([3])])
        #expect(try store.complete(other, reply: Data([2])))
        #expect(try store.takeReplies(run: calls.id, items: [0, 1, 2]) == [1: Data([2])])
        #expect(try store.takeReplies(run: calls.id, items: []).isEmpty)
    }
}

/// The wake-up of processes waiting for work or replies.
struct WorkSignalTests {
    /// A notification that finds nobody waiting wakes the next wait at once, and only that one: a
    /// worker that looked for work just before it was queued must not sleep out its poll.
    @Test(.hangGuard) func aNotificationNobodyWaitedForWakesTheNextWait() async {
        let signal = WorkNotifications.Signal()
        await signal.fire()
        await signal.wait()
        let woken = Mutex(false)
        let second = Task {
            await signal.wait()
            woken.withLock { $0 = true }
        }
        try? await Task.sleep(for: .milliseconds(300))
        #expect(!woken.withLock { $0 }, "the missed notification woke one wait, not two")
        await signal.fire()
        await second.value
        #expect(woken.withLock { $0 })
    }
}

/// What a work item is, as the database stores it.
struct WorkItemKindTests {
    /// A kind reads back as it was stored, model names with colons included.
    @Test func kindsReadBackAsStored() throws {
        for kind in [WorkItemKind.question, .targets, .modelCall(model: "m"), .modelCall(model: "org/model:q4")] {
            #expect(WorkItemKind(stored: kind.description) == kind)
            #expect(try JSONDecoder().decode(WorkItemKind.self, from: JSONEncoder().encode(kind)) == kind)
        }
        for text in ["", "model-call:", "questions", "Question"] { #expect(WorkItemKind(stored: text) == nil) }
    }
}
