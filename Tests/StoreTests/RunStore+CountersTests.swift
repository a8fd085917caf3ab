import Foundation
import GRDB
import Testing

@testable import Store

@Suite struct RunStoreCountersTests {
    static let learned = RunCounters(
        supervisor: .learned, steps: 3000, examples: 96_000, supervisorActions: 180_000, leafLookups: 20_000,
        groundTruthLabels: 0, expertCalls: 3084, askerSubquestionAccuracy: 1, askerAnswerAccuracy: 0.984375)
    static let scripted = RunCounters(
        supervisor: .scripted, steps: 3000, examples: 96_000, supervisorActions: 232_320, leafLookups: 19_000,
        expertCalls: 232_320)
    static let supervised = RunCounters(steps: 3000, examples: 96_000, groundTruthLabels: 77_440)

    @Test(arguments: [learned, scripted, supervised])
    func countersRoundTrip(counters: RunCounters) throws {
        let directory = try TemporaryDirectory()
        let (store, run) = try StoreFixtures.storeWithRun(in: directory)
        #expect(try store.counters(run: run.id) == nil)
        try store.saveCounters(counters, run: run.id)
        #expect(try store.counters(run: run.id) == counters)
        try store.close()
        let reopened = try SQLiteStore(path: directory.path("ida.sqlite"))
        #expect(try reopened.counters(run: run.id) == counters)
    }

    @Test func savingAgainReplacesAndDeletingTheRunDeletesThem() throws {
        let directory = try TemporaryDirectory()
        let (store, run) = try StoreFixtures.storeWithRun(in: directory)
        try store.saveCounters(Self.scripted, run: run.id)
        try store.saveCounters(Self.learned, run: run.id)
        #expect(try store.counters(run: run.id) == Self.learned)
        try store.deleteRun(run.id)
        let left = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM runCounters") }
        #expect(left == 0)
    }

    @Test func anUnknownRunThrows() throws {
        let directory = try TemporaryDirectory()
        let (store, _) = try StoreFixtures.storeWithRun(in: directory)
        #expect(throws: StoreError.runNotFound(id: "r-nope")) { try store.saveCounters(Self.learned, run: "r-nope") }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) { try store.counters(run: "r-nope") }
    }

    @Test func aBatchCommitsTheCountersWithTheCheckpoint() throws {
        let directory = try TemporaryDirectory()
        let (store, run) = try StoreFixtures.storeWithRun(in: directory)
        var batch = RunStoreBatchTests.batch
        batch.counters = Self.learned
        try store.commit(batch, run: run.id)
        #expect(try store.counters(run: run.id) == Self.learned)
        #expect(!RunBatch(counters: Self.learned).isEmpty)
    }

    @Test func aNegativeCountTraps() async throws {
        let directory = try TemporaryDirectory()
        let path: String = directory.path("ida.sqlite")
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { [path = path as String] in
            let store = try SQLiteStore(path: path)
            let run = try store.createRun(StoreFixtures.newRun())
            try store.saveCounters(RunCounters(expertCalls: -1), run: run.id)
        }
        TrapMessage.expect(result, contains: "saveCounters: counts must be >= 0")
    }

    @Test func anAccuracyOutsideZeroToOneTraps() async throws {
        let directory = try TemporaryDirectory()
        let path: String = directory.path("ida.sqlite")
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { [path = path as String] in
            let store = try SQLiteStore(path: path)
            let run = try store.createRun(StoreFixtures.newRun())
            try store.saveCounters(RunCounters(supervisor: .learned, askerAnswerAccuracy: 1.5), run: run.id)
        }
        TrapMessage.expect(result, contains: "saveCounters: accuracies must be in 0...1")
    }
}
