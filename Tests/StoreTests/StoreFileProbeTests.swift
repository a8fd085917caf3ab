import Foundation
import GRDB
import SeededRandom
import StoreTestSupport
import Testing

@testable import Store

@Suite struct StoreFileProbeTests {
    /// Files that are not ida databases, by how they are made.
    enum Intruder: String, CaseIterable, CustomTestStringConvertible {
        case text, randomBytes, sqliteHeaderThenGarbage, truncatedIdaDatabase

        var testDescription: String { rawValue }

        func write(to path: String) throws {
            var generator = SplitMix64(seed: 11)
            let bytes: [UInt8]
            switch self {
            case .text:
                bytes = Array("# notes\nThis is a README, not a database.\n".utf8)
            case .randomBytes:
                bytes = (0..<8_192).map { _ in UInt8.random(in: 0...255, using: &generator) }
            case .sqliteHeaderThenGarbage:
                bytes =
                    StoreFileProbe.sqliteHeader
                    + (0..<8_176).map { _ in UInt8.random(in: 0...255, using: &generator) }
            case .truncatedIdaDatabase:
                bytes = StoreFileProbe.sqliteHeader + [0x10, 0x00]  // a header cut short
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
    }

    @Test(arguments: Intruder.allCases)
    func aFileThatIsNotADatabaseIsRejectedAndLeftUnchanged(intruder: Intruder) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("intruder.sqlite")
        try intruder.write(to: path)
        let before = try StoreFixtures.bytes(path)
        #expect(throws: StoreError.notADatabase(path: path)) { try SQLiteStore(path: path) }
        #expect(try StoreFixtures.bytes(path) == before)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == [
                "intruder.sqlite"
            ])
    }

    @Test(arguments: [0, 0x1234_5678] as [Int32])
    func anotherApplicationsSQLiteDatabaseIsRejectedAndLeftUnchanged(applicationID: Int32) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("other.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(sql: "PRAGMA application_id = \(applicationID)")
                try db.execute(
                    sql: "CREATE TABLE contact (name TEXT); INSERT INTO contact VALUES ('Ada')")
            }
            try queue.close()
        }
        let before = try StoreFixtures.bytes(path)
        #expect(throws: StoreError.foreignDatabase(path: path)) { try SQLiteStore(path: path) }
        #expect(try StoreFixtures.bytes(path) == before)
    }

    @Test func aDatabaseFromANewerIdaIsRejectedAndLeftUnchanged() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ida.sqlite")
        let runID: String
        do {
            let store = try SQLiteStore(path: path)
            runID = try store.createRun(StoreFixtures.newRun()).id
            try store.pool.write { db in
                try db.execute(
                    sql:
                        "INSERT INTO grdb_migrations (identifier) VALUES ('addSomethingFromTheFuture')"
                )
            }
            // Fold the WAL into the file before comparing bytes.
            try store.pool.writeWithoutTransaction { db in
                _ = try db.checkpoint(.truncate)
            }
            try store.close()
        }
        let before = try StoreFixtures.bytes(path)
        #expect(
            throws: StoreError.newerSchema(
                path: path, unknownMigrations: ["addSomethingFromTheFuture"])
        ) { try SQLiteStore(path: path) }
        #expect(try StoreFixtures.bytes(path) == before)
        #expect(!runID.isEmpty)
    }

    @Test func anEmptyFileBecomesANewDatabase() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("empty.sqlite")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let store = try SQLiteStore(path: path)
        #expect(try store.runs().isEmpty)
        #expect(
            try store.pool.read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") }
                == StoreSchema.applicationID)
    }

    @Test func aBlankSQLiteDatabaseIsAdopted() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("blank.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "PRAGMA user_version = 0") }
            try queue.close()
        }
        let store = try SQLiteStore(path: path)
        #expect(try store.createRun(StoreFixtures.newRun()).kind == .ia)
    }

    // Found by StoreOpenFuzzTests: a blank SQLite file in rollback-journal mode whose header
    // claims a free list (byte 37 set) passed the probe, then the pool switched it to WAL mode
    // (rewriting its header) before the migration failed on the damage.
    @Test func aDamagedBlankDatabaseIsRejectedAndLeftUnchanged() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("blank.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA user_version = 1") }
            try queue.close()
        }
        var bytes = try StoreFixtures.bytes(path)
        bytes[37] = 0xE3
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.notADatabase(path: path)) { try SQLiteStore(path: path) }
        #expect(try StoreFixtures.bytes(path) == bytes)
    }

    // Found by StoreOpenFuzzTests (a NULL there): an identifier that is not text made GRDB throw
    // a `RowDecodingError` instead of a `StoreError`.
    @Test func aMigrationIdentifierThatIsNotTextIsRejectedAsDamaged() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ida.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            try store.pool.writeWithoutTransaction { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (x'FF')")
                _ = try db.checkpoint(.truncate)
            }
            try store.close()
        }
        let before = try StoreFixtures.bytes(path)
        #expect(throws: StoreError.notADatabase(path: path)) { try SQLiteStore(path: path) }
        #expect(try StoreFixtures.bytes(path) == before)
    }

    // Found by StoreOpenFuzzTests: a free block on the schema's page whose size overlaps the next
    // cell reads as healthy, since reads never look at free space. GRDB's pool writes on every
    // open without a WAL file (it creates and drops a table), that write used the free block,
    // broke the schema, and the failed open's checkpoint carried it into the file.
    @Test func damagedFreeSpaceOnTheSchemaPageIsRejectedAndLeftUnchanged() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ida.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            _ = try store.createRun(StoreFixtures.newRun())
            try store.pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            try store.close()
        }
        var bytes = try StoreFixtures.bytes(path)
        // The schema's b-tree starts on page 1 (its header at byte 100): a leaf while the schema is
        // small, an interior page over leaves once it is not. A b-tree page's header holds the
        // offset of its first free block (bytes 1-2) and its cell count (3-4), and the cell
        // pointers follow the leaf header's 8 bytes; offsets count from the page's start.
        let leaves = Self.schemaLeafPages(bytes)
        try #require(!leaves.isEmpty, "the schema's b-tree has leaf pages")
        let damaged = try #require(
            leaves.first { Int(bytes[$0.header + 1]) << 8 | Int(bytes[$0.header + 2]) != 0 },
            "migrating leaves a free block on a page of the schema (a table is rebuilt)")
        let header = damaged.header
        let freeBlock = damaged.start + (Int(bytes[header + 1]) << 8 | Int(bytes[header + 2]))
        let cellCount = Int(bytes[header + 3]) << 8 | Int(bytes[header + 4])
        let cells = (0..<cellCount).map { damaged.start + (Int(bytes[header + 8 + 2 * $0]) << 8 | Int(bytes[header + 9 + 2 * $0])) }
        let nextCell = try #require(cells.filter { $0 > freeBlock }.min())
        let overlapping = nextCell - freeBlock + 16
        bytes[freeBlock + 2] = UInt8(overlapping >> 8)
        bytes[freeBlock + 3] = UInt8(overlapping & 0xFF)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        #expect(throws: StoreError.notADatabase(path: path)) { try SQLiteStore(path: path) }
        #expect(try StoreFixtures.bytes(path) == bytes)
    }

    /// The leaf pages of the schema's b-tree (rooted at page 1): where each starts in the file, and
    /// where its b-tree header is (byte 100 on page 1, after the file header).
    static func schemaLeafPages(_ bytes: [UInt8]) -> [(start: Int, header: Int)] {
        let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        func word(_ at: Int) -> Int { (0..<4).reduce(0) { $0 << 8 | Int(bytes[at + $1]) } }
        var leaves: [(start: Int, header: Int)] = []
        var pending = [1]
        while let page = pending.popLast() {
            let start = (page - 1) * pageSize
            let header = page == 1 ? 100 : start
            switch bytes[header] {
            case 13:
                leaves.append((start, header))
            case 5:  // interior: a child page number opens each cell, the right-most child is in the header
                let count = Int(bytes[header + 3]) << 8 | Int(bytes[header + 4])
                pending.append(word(header + 8))
                for cell in 0..<count {
                    pending.append(word(start + (Int(bytes[header + 12 + 2 * cell]) << 8 | Int(bytes[header + 13 + 2 * cell]))))
                }
            default:
                break
            }
        }
        return leaves
    }

    @Test func anUnknownMigrationNameIsEscapedToOneLine() {
        let error = StoreError.newerSchema(path: "/tmp/ida.sqlite", unknownMigrations: ["add\nthing"])
        #expect(error.description.contains(#"unknown migrations: add\nthing)"#))
    }

    @Test func aDirectoryCannotBeOpened() throws {
        let directory = try TemporaryDirectory()
        #expect(
            throws: StoreError.cannotOpen(path: directory.url.path, reason: "it is a directory")
        ) {
            try SQLiteStore(path: directory.url.path)
        }
    }

    @Test func aFileInsideAFileCannotBeOpened() throws {
        let directory = try TemporaryDirectory()
        let blocker = directory.path("blocker")
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
        let path = blocker + "/ida.sqlite"
        #expect(
            throws: StoreError.cannotOpen(
                path: path, reason: "cannot create the directory \(blocker)")
        ) {
            try SQLiteStore(path: path)
        }
    }
}
