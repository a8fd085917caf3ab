import Foundation
import GRDB
import StoreTestSupport
import Testing

@testable import Store

@Suite struct RunStoreCountersTests {
    static let learned = RunCounters(
        supervisor: .learned,
        counts: [
            "steps": 3000, "examples": 96_000, "amplification.supervisorActions": 180_000,
            "amplification.leafLookups": 20_000, "groundTruthLabels": 0, "expertCalls": 3084,
        ],
        askerSubquestionAccuracy: 1, askerAnswerAccuracy: 0.984375)
    static let scripted = RunCounters(
        supervisor: .scripted,
        counts: [
            "steps": 3000, "examples": 96_000, "amplification.supervisorActions": 232_320,
            "amplification.leafLookups": 19_000, "expertCalls": 232_320,
        ])
    static let supervised = RunCounters(counts: ["steps": 3000, "examples": 96_000, "groundTruthLabels": 77_440])

    @Test(arguments: StoreBackend.available, [learned, scripted, supervised])
    func countersRoundTrip(backend: StoreBackend, counters: RunCounters) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        #expect(try store.counters(run: run.id) == nil)
        try store.saveCounters(counters, run: run.id)
        #expect(try store.counters(run: run.id) == counters)
        try store.close()
        let reopened = try database.open()
        #expect(try reopened.counters(run: run.id) == counters)
    }

    @Test(arguments: StoreBackend.available)
    func savingAgainReplacesAndDeletingTheRunDeletesThem(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        try store.saveCounters(Self.scripted, run: run.id)
        try store.saveCounters(Self.learned, run: run.id)
        #expect(try store.counters(run: run.id) == Self.learned)
        // A count the first save had and the second has not is gone, not left behind.
        try store.saveCounters(Self.supervised, run: run.id)
        #expect(try store.counters(run: run.id) == Self.supervised)
        try store.deleteRun(run.id)
        let left = try database.integer(
            "SELECT (SELECT count(*) FROM runCounters) + (SELECT count(*) FROM runCount)", in: store)
        #expect(left == 0)
    }

    @Test(arguments: StoreBackend.available)
    func anUnknownRunThrows(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, _) = try database.storeWithRun()
        #expect(throws: StoreError.runNotFound(id: "r-nope")) { try store.saveCounters(Self.learned, run: "r-nope") }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) { try store.counters(run: "r-nope") }
    }

    @Test(arguments: StoreBackend.available)
    func aBatchCommitsTheCountersWithTheCheckpoint(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        var batch = RunStoreBatchTests.batch
        batch.counters = Self.learned
        try store.commit(batch, run: run.id)
        #expect(try store.counters(run: run.id) == Self.learned)
        #expect(!RunBatch(counters: Self.learned).isEmpty)
    }

    @Test(arguments: StoreBackend.available)
    func aNegativeCountTraps(backend: StoreBackend) async throws {
        let database = try FreshDatabase(backend)  // removed by the parent after the child trapped
        let locator = database.locator
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { [locator = locator as String] in
            let store = try FreshDatabase.open(locator)
            let run = try store.createRun(StoreFixtures.newRun())
            try store.saveCounters(RunCounters(counts: ["expertCalls": -1]), run: run.id)
        }
        TrapMessage.expect(result, contains: "saveCounters: counts must be >= 0")
    }

    @Test(arguments: StoreBackend.available)
    func anAccuracyOutsideZeroToOneTraps(backend: StoreBackend) async throws {
        let database = try FreshDatabase(backend)  // removed by the parent after the child trapped
        let locator = database.locator
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { [locator = locator as String] in
            let store = try FreshDatabase.open(locator)
            let run = try store.createRun(StoreFixtures.newRun())
            try store.saveCounters(RunCounters(supervisor: .learned, askerAnswerAccuracy: 1.5), run: run.id)
        }
        TrapMessage.expect(result, contains: "saveCounters: accuracies must be in 0...1")
    }

    /// A database from before counts were rows: every stored count moves to its name (the
    /// engine's two under `amplification.`), the supervisor and accuracies stay, and a new
    /// count can then be stored without a column for it.
    @Test func theMigrationMovesEveryStoredCountToItsName() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ida.sqlite")
        let queue = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(queue, upTo: "createWorkspace")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO run (id, parentId, kind, task, preset, schedule, configuration, seed, status, createdAt, updatedAt)
                    VALUES ('r-1', NULL, 'ia', 'sort', 'tiny', 'continuous', '{}', 7, 'completed', '2026-11-28 00:00:00.000', '2026-11-28 00:00:01.000')
                    """)
            try db.execute(
                sql: """
                    INSERT INTO runCounters (runId, supervisor, steps, examples, supervisorActions, leafLookups,
                                             groundTruthLabels, expertCalls, askerSubquestionAccuracy, askerAnswerAccuracy)
                    VALUES ('r-1', 'learned', 3000, 96000, 180000, 20000, 0, 3084, 1, 0.984375)
                    """)
        }
        try queue.close()

        let store = try SQLiteStore(path: path)
        #expect(try store.counters(run: "r-1") == Self.learned)
        var more = Self.learned
        more.counts["amplification.rejectedActions"] = 12
        try store.saveCounters(more, run: "r-1")
        #expect(try store.counters(run: "r-1") == more)
    }
}
