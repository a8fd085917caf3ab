import Foundation
import GRDB
import IDATestSupport
import SeededRandom
import StoreTestSupport
import Testing

@testable import Store

/// Random and mutated database files through `SQLiteStore(path:)`. Every input is either opened,
/// and then the store lists the runs a read-only look at the file saw before, or rejected with a
/// `StoreError` of one line naming the path, the file keeping its bytes. A valid ida database
/// with a run, next to the fuzzed file, keeps its bytes and its run throughout.
@Suite struct StoreOpenFuzzTests {
    /// `IDA_FUZZ_ITERATIONS` (`scripts/fuzz` sets 1,000,000); the default keeps this test a few
    /// seconds in a debug build (an open costs about a millisecond).
    static let iterations = FuzzBudget.iterations(environment: ProcessInfo.processInfo.environment, default: 1_500)

    /// A scratch directory in memory when the machine has one: SQLite syncs the files it opens
    /// for writing, which on a disk costs about 15 ms per input, on a tmpfs almost nothing.
    static func scratchDirectory() throws -> URL {
        let memory = URL(fileURLWithPath: "/dev/shm", isDirectory: true)
        let base = FileManager.default.isWritableFile(atPath: memory.path) ? memory : FileManager.default.temporaryDirectory
        let url = base.appendingPathComponent("ida-store-fuzz-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// An ida database with one run, folded out of its WAL so the file alone holds it.
    static func idaDatabase(at path: String, extraMigration: String? = nil) throws -> [UInt8] {
        let store = try SQLiteStore(path: path)
        _ = try store.createRun(StoreFixtures.newRun())
        try store.pool.writeWithoutTransaction { db in
            if let extraMigration {
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [extraMigration])
            }
            _ = try db.checkpoint(.truncate)
        }
        try store.close()
        return try StoreFixtures.bytes(path)
    }

    /// The seeds: an ida database with a run, one from a newer ida, a blank SQLite file, another
    /// application's database, and one in rollback-journal mode (its header differs).
    static func seeds(in directory: TemporaryDirectory) throws -> [[UInt8]] {
        let ida = try idaDatabase(at: directory.path("seed-ida.sqlite"))
        let newer = try idaDatabase(at: directory.path("seed-newer.sqlite"), extraMigration: "addSomethingFromTheFuture")
        func plain(_ name: String, _ sql: String) throws -> [UInt8] {
            let queue = try DatabaseQueue(path: directory.path(name))
            try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
            try queue.close()
            return try StoreFixtures.bytes(directory.path(name))
        }
        let blank = try plain("seed-blank.sqlite", "PRAGMA user_version = 1")
        let foreign = try plain("seed-foreign.sqlite", "CREATE TABLE contact (name TEXT); INSERT INTO contact VALUES ('Ada')")
        try Data(ida).write(to: URL(fileURLWithPath: directory.path("seed-rollback.sqlite")))
        let rollback = try plain("seed-rollback.sqlite", "PRAGMA journal_mode = DELETE")
        return [ida, newer, blank, foreign, rollback]
    }

    /// The run ids a read-only connection sees, or nil when it cannot read them.
    static func runIDs(at path: String) -> [String]? {
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return nil }
        defer { try? queue.close() }
        return try? queue.read { db in try String.fetchAll(db, sql: "SELECT id FROM run ORDER BY id") }
    }

    @Test func mutatedDatabasesOpenOrAreRejectedUntouched() throws {
        let directory = try TemporaryDirectory()
        let seeds = try Self.seeds(in: directory)
        let scratch = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pristinePath = scratch.appendingPathComponent("pristine.sqlite").path
        try Data(seeds[0]).write(to: URL(fileURLWithPath: pristinePath))
        let pristineRuns = try #require(Self.runIDs(at: pristinePath))
        #expect(pristineRuns.count == 1)
        var mutator = ByteMutator(seeds: seeds, dialect: .binary, seed: 3)
        var tally = FuzzTally()
        var failures = FuzzFailures()
        let path = scratch.appendingPathComponent("fuzzed.sqlite").path
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<Self.iterations {
            let input = mutator.next()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            try Data(input).write(to: URL(fileURLWithPath: path))
            let began = clock.now
            Self.check(input, path: path, &tally, &failures)
            failures.checkTime(began.duration(to: clock.now), input: input)
        }
        print(tally.summary(reader: "database", duration: start.duration(to: clock.now)))
        #expect(tally.tried == Self.iterations)
        #expect(failures.count == 0, "\(failures.report)")

        // The valid database beside them: opening it changes no byte and shows its run.
        let store = try SQLiteStore(path: pristinePath)
        #expect(try store.runs().map(\.id) == pristineRuns)
        try store.close()
        #expect(try StoreFixtures.bytes(pristinePath) == seeds[0])
    }

    static func check(_ input: [UInt8], path: String, _ tally: inout FuzzTally, _ failures: inout FuzzFailures) {
        let runsBefore = input.starts(with: StoreFileProbe.sqliteHeader) ? runIDs(at: path) : nil
        let store: SQLiteStore
        do {
            store = try SQLiteStore(path: path)
        } catch let error as StoreError {
            let message = error.description
            if message.contains(where: \.isNewline) { failures.record("message is not one line: \(message)", input: input) }
            if !message.contains(path) { failures.record("message does not name the path: \(message)", input: input) }
            if (try? StoreFixtures.bytes(path)) != input { failures.record("a rejected file changed (\(message))", input: input) }
            tally.reject(error)
            return
        } catch {
            failures.record("untyped error \(type(of: error)): \(error)", input: input)
            tally.reject(kind: "untyped")
            return
        }
        defer { try? store.close() }
        if let runsBefore {
            // The same query as before: a damaged file can disagree between a table and its index.
            let runsAfter = try? store.pool.read { db in try String.fetchAll(db, sql: "SELECT id FROM run ORDER BY id") }
            if runsAfter != runsBefore {
                failures.record("runs \(runsBefore) became \(runsAfter.map { "\($0)" } ?? "unreadable")", input: input)
            }
        }
        tally.accept()
    }
}
