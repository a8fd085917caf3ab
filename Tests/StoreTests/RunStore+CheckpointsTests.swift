import Foundation
import GRDB
import PropertyBased
import SeededRandom
import StoreTestSupport
import Testing

@testable import Store

@Suite struct RunStoreCheckpointsTests {
    static func checkpoint(step: Int, payload: [UInt8] = [1, 2, 3]) -> CheckpointRecord {
        CheckpointRecord(
            step: step, formatVersion: 1, payload: payload,
            trainerState: #"{"rng":[\#(step),2],"curriculumSize":4,"replayPosition":\#(step * 3)}"#,
            createdAt: StoreFixtures.time(Double(step)))
    }

    @Test(arguments: StoreBackend.available)
    func payloadsRoundTripBitForBit(backend: StoreBackend) async throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        await propertyCheck(
            count: 30, input: Gen.uint8(in: 0...255).array(of: 0...3_000), Gen.int(in: 1...9)
        ) {
            payload, formatVersion in
            var checkpoint = Self.checkpoint(step: 1, payload: payload)
            checkpoint.formatVersion = formatVersion
            try store.saveCheckpoint(checkpoint, run: run.id)
            #expect(try store.checkpoint(run: run.id, step: 1) == checkpoint)
        }
    }

    @Test(arguments: StoreBackend.available, [(1, 5), (2, 2), (3, 10), (5, 3)])
    func onlyTheNewestCheckpointsAreKept(backend: StoreBackend, counts: (kept: Int, saved: Int)) throws {
        let (kept, saved) = counts
        let database = try FreshDatabase(backend)
        var configuration = StoreConfiguration()
        configuration.checkpointsKept = kept
        let (store, run) = try database.storeWithRun(configuration: configuration)
        let other = try store.createRun(StoreFixtures.newRun(kind: .supervised))
        try store.saveCheckpoint(Self.checkpoint(step: 0), run: other.id)
        for index in 0..<saved {
            try store.saveCheckpoint(
                Self.checkpoint(step: index * 100, payload: [UInt8(index)]), run: run.id)
        }
        let expectedSteps = (max(0, saved - kept)..<saved).map { $0 * 100 }
        #expect(try store.checkpoints(run: run.id).map(\.step) == expectedSteps)
        #expect(
            try store.latestCheckpoint(run: run.id)
                == Self.checkpoint(step: (saved - 1) * 100, payload: [UInt8(saved - 1)]))
        #expect(
            try store.checkpoints(run: other.id).map(\.step) == [0],
            "pruning one run leaves the others alone")
        if let oldest = expectedSteps.first, oldest > 0 {
            #expect(throws: StoreError.checkpointNotFound(runID: run.id, step: oldest - 100)) {
                try store.checkpoint(run: run.id, step: oldest - 100)
            }
        }
    }

    /// SQLite only: a PostgreSQL table's dead rows wait for autovacuum, which the server runs.
    @Test func prunedPayloadsLeaveTheFileBounded() throws {
        let directory = try TemporaryDirectory()
        let (store, run) = try StoreFixtures.storeWithRun(in: directory, configuration: .tiny)
        var generator = SplitMix64(seed: 5)
        let payload = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var pageCounts: [Int] = []
        for step in 0..<12 {
            try store.saveCheckpoint(Self.checkpoint(step: step, payload: payload), run: run.id)
            pageCounts.append(
                try store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 })
        }
        // Two 200 kB payloads need about 100 pages of 4 kB; freed pages are reused, never appended.
        #expect(pageCounts[11] == pageCounts[3], "\(pageCounts)")
    }

    @Test(arguments: StoreBackend.available)
    func summariesListStepVersionSizeAndTime(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        #expect(try store.latestCheckpoint(run: run.id) == nil)
        try store.saveCheckpoint(
            Self.checkpoint(step: 7, payload: Array(repeating: 9, count: 1_234)), run: run.id)
        #expect(
            try store.checkpoints(run: run.id)
                == [
                    CheckpointSummary(
                        step: 7, formatVersion: 1, byteCount: 1_234,
                        createdAt: StoreFixtures.time(7))
                ])
    }

    @Test(arguments: StoreBackend.available)
    func savingTheSameStepAgainReplacesIt(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        try store.saveCheckpoint(Self.checkpoint(step: 3, payload: [1]), run: run.id)
        try store.saveCheckpoint(Self.checkpoint(step: 3, payload: [2]), run: run.id)
        #expect(try store.checkpoints(run: run.id).count == 1)
        #expect(try store.latestCheckpoint(run: run.id)?.payload == [2])
    }

    @Test(arguments: StoreBackend.available)
    func anUnknownRunThrows(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, _) = try database.storeWithRun()
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.saveCheckpoint(Self.checkpoint(step: 0), run: "r-nope")
        }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.latestCheckpoint(run: "r-nope")
        }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.checkpoint(run: "r-nope", step: 0)
        }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.checkpoints(run: "r-nope")
        }
    }

    @Test(arguments: StoreBackend.available)
    func aNegativeStepTraps(backend: StoreBackend) async throws {
        let database = try FreshDatabase(backend)  // removed by the parent after the child trapped
        let locator = database.locator
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent])
        { [locator = locator as String] in
            let store = try FreshDatabase.open(locator)
            let run = try store.createRun(StoreFixtures.newRun())
            try store.saveCheckpoint(RunStoreCheckpointsTests.checkpoint(step: -1), run: run.id)
        }
        TrapMessage.expect(result, contains: "saveCheckpoint: step must be >= 0")
    }

    @Test(arguments: StoreBackend.available)
    func aFormatVersionBelowOneTraps(backend: StoreBackend) async throws {
        let database = try FreshDatabase(backend)  // removed by the parent after the child trapped
        let locator = database.locator
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent])
        { [locator = locator as String] in
            let store = try FreshDatabase.open(locator)
            let run = try store.createRun(StoreFixtures.newRun())
            var checkpoint = RunStoreCheckpointsTests.checkpoint(step: 0)
            checkpoint.formatVersion = 0
            try store.saveCheckpoint(checkpoint, run: run.id)
        }
        TrapMessage.expect(result, contains: "saveCheckpoint: formatVersion must be >= 1")
    }

    @Test(arguments: StoreBackend.available)
    func aTrainerStateWithANULCharacterTraps(backend: StoreBackend) async throws {
        let database = try FreshDatabase(backend)  // removed by the parent after the child trapped
        let locator = database.locator
        let result = await #expect(
            processExitsWith: .failure, observing: [\.standardErrorContent]
        ) { [locator = locator as String] in
            let store = try FreshDatabase.open(locator)
            let run = try store.createRun(StoreFixtures.newRun())
            var checkpoint = RunStoreCheckpointsTests.checkpoint(step: 0)
            checkpoint.trainerState = "{\u{0}}"
            try store.saveCheckpoint(checkpoint, run: run.id)
        }
        TrapMessage.expect(
            result, contains: "saveCheckpoint: trainerState contains a NUL character")
    }
}
