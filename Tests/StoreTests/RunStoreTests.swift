import Foundation
import GRDB
import StoreTestSupport
import Testing

@testable import Store

@Suite struct RunStoreTests {
    @Test(arguments: [
        ("/home/ada", "/home/ada/.ida/ida.sqlite"),
        ("/home/ada/", "/home/ada/.ida/ida.sqlite"),
        ("/root", "/root/.ida/ida.sqlite"),
    ])
    func defaultPathIsIdaSqliteInTheHiddenIdaDirectoryOfHome(home: String, expected: String) {
        #expect(SQLiteStore.defaultPath(home: home) == expected)
    }

    @Test func openingCreatesTheFileAndMissingDirectoriesInWALMode() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("nested/deeper/ida.sqlite")
        let store = try SQLiteStore(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        let journalMode = try store.pool.read { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode")
        }
        #expect(journalMode == "wal")
        let foreignKeys = try store.pool.read { db in
            try Bool.fetchOne(db, sql: "PRAGMA foreign_keys")
        }
        #expect(foreignKeys == true)
    }

    @Test(arguments: [false, true])
    func synchronousFollowsTheConfiguration(syncEveryCommit: Bool) throws {
        let directory = try TemporaryDirectory()
        var configuration = StoreConfiguration()
        configuration.syncEveryCommit = syncEveryCommit
        let store = try SQLiteStore(path: directory.path("ida.sqlite"), configuration: configuration)
        // Only the writer connection commits, so only its setting matters.
        let synchronous = try store.pool.write { db in
            try Int.fetchOne(db, sql: "PRAGMA synchronous")
        }
        #expect(synchronous == (syncEveryCommit ? 2 : 1))  // FULL is 2, NORMAL is 1
    }

    @Test(arguments: StoreBackend.available, [1, 2, 3] as [UInt64])
    func resumeAfterReopeningFindsTheNewestCheckpointAndEveryMetric(backend: StoreBackend, seed: UInt64) throws {
        let database = try FreshDatabase(backend)
        var generator = SystemRandomNumberGenerator()
        let payload = (0..<4_096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let runID: String
        do {
            let store = try database.open(configuration: .tiny)
            let run = try store.createRun(StoreFixtures.newRun(seed: seed))
            runID = run.id
            for step in 0..<30 {
                try store.appendMetrics(
                    [
                        MetricSample(
                            step: step, name: "loss", value: Double(seed) / Double(step + 1))
                    ], run: run.id)
                if step % 10 == 9 {
                    try store.saveCheckpoint(
                        CheckpointRecord(
                            step: step, formatVersion: 1, payload: payload + [UInt8(step)],
                            trainerState: #"{"curriculumSize":\#(step)}"#,
                            createdAt: StoreFixtures.time(Double(step))),
                        run: run.id)
                }
            }
            try store.close()
        }
        let reopened = try database.open(configuration: .tiny)
        let checkpoint = try #require(try reopened.latestCheckpoint(run: runID))
        #expect(checkpoint.step == 29)
        #expect(checkpoint.payload == payload + [29])
        #expect(checkpoint.trainerState == #"{"curriculumSize":29}"#)
        let loss = try reopened.metricSeries("loss", run: runID)
        #expect(loss.map(\.step) == Array(0..<30))
        #expect(loss.map(\.value) == (0..<30).map { Double(seed) / Double($0 + 1) })
        #expect(try reopened.run(id: runID).status == .running)
    }

    // NB: these two tests block real threads (never Swift concurrency's cooperative pool, which
    // has only two threads on this machine and is shared with the tests running in parallel).
    @Test func aReaderSeesTheLastCommitWhileAWriteTransactionIsOpen() throws {
        let directory = try TemporaryDirectory()
        let (writer, run) = try StoreFixtures.storeWithRun(in: directory)
        try writer.appendMetrics([MetricSample(step: 0, name: "loss", value: 1)], run: run.id)
        let reader = try SQLiteStore(path: writer.path)
        let inTransaction = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let committed = DispatchSemaphore(value: 0)
        let runID = run.id
        Thread {
            try? writer.pool.write { db in
                try SQLiteStore.insert(
                    [MetricSample(step: 1, name: "loss", value: 0.5)], run: runID, in: db)
                inTransaction.signal()
                release.wait()
            }
            committed.signal()
        }.start()
        #expect(inTransaction.wait(timeout: .now() + 30) == .success)
        // The writer holds its transaction open: a WAL reader neither waits nor sees step 1.
        #expect(try reader.metricSeries("loss", run: run.id).map(\.step) == [0])
        release.signal()
        #expect(committed.wait(timeout: .now() + 30) == .success)
        #expect(try reader.metricSeries("loss", run: run.id).map(\.step) == [0, 1])
    }

    @Test(arguments: StoreBackend.available)
    func concurrentReadersAlwaysSeeWholeBatches(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (writer, run) = try database.storeWithRun()
        let reader = try database.open()
        let runID = run.id
        let batchSize = 10
        let batches = 60
        let finished = DispatchSemaphore(value: 0)
        Thread {
            for batch in 0..<batches {
                let samples = (0..<batchSize).map { offset in
                    MetricSample(
                        step: batch * batchSize + offset, name: "loss", value: Double(offset))
                }
                do { try writer.appendMetrics(samples, run: runID) } catch { break }
            }
            finished.signal()
        }.start()
        var observedCounts: [Int] = []
        var writerDone = false
        while !writerDone {
            writerDone = finished.wait(timeout: .now()) == .success
            let steps = try reader.metricSeries("loss", run: runID).map(\.step)
            #expect(steps == Array(0..<steps.count), "a read must see a prefix of the steps")
            #expect(steps.count % batchSize == 0, "a read must never see part of a batch")
            observedCounts.append(steps.count)
        }
        #expect(observedCounts == observedCounts.sorted())
        #expect(observedCounts.last == batches * batchSize)
    }

    @Test(arguments: StoreBackend.available)
    func closingMakesLaterCallsThrow(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        try store.close()
        #expect(throws: (any Error).self) { try store.run(id: run.id) }
    }

    @Test func zeroCheckpointsKeptTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent])
        {
            var configuration = StoreConfiguration()
            configuration.checkpointsKept = 0
            _ = try SQLiteStore(
                path: "/nonexistent-ida-dir/never-created.sqlite", configuration: configuration)
        }
        TrapMessage.expect(result, contains: "SQLiteStore: checkpointsKept must be at least 1")
    }

    // Captured values cross into the child process as JSON, which has no NaN or infinity.
    @Test(arguments: ["-1", "inf", "nan"])
    func aNegativeOrNonFiniteBusyTimeoutTraps(timeout: String) async {
        let result = await #expect(
            processExitsWith: .failure, observing: [\.standardErrorContent],
            "busyTimeoutSeconds \(timeout)"
        ) { [timeout] in
            var configuration = StoreConfiguration()
            configuration.busyTimeoutSeconds = Double(timeout) ?? 0
            _ = try SQLiteStore(
                path: "/nonexistent-ida-dir/never-created.sqlite", configuration: configuration)
        }
        TrapMessage.expect(result, contains: "SQLiteStore: busyTimeoutSeconds must be finite and >= 0")
    }
}
