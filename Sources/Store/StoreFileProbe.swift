import Foundation
import GRDB

/// Decides, without writing a byte, whether a path may be opened as an ida database.
///
/// A missing or empty file becomes a new database. Anything else must start with the SQLite
/// header, open read-only, carry ida's application id (or be an SQLite file with no tables at
/// all), hold no migration this version does not know, and pass SQLite's `quick_check`. The read-write connection that
/// switches the file to WAL mode and migrates it is only opened after these checks pass, so a
/// rejected file keeps its bytes.
enum StoreFileProbe {
    /// The first 16 bytes of every SQLite 3 database file.
    static let sqliteHeader: [UInt8] = Array("SQLite format 3\u{0}".utf8)

    /// Throws a ``StoreError`` if the file at `path` must not be opened as an ida database.
    /// Its read waits up to `busyTimeoutSeconds` for a lock another connection holds, as the
    /// store's own connections do: a connection gives up on a lock at once by default, and a
    /// process closing its last connection holds one while it checkpoints the WAL.
    static func check(path: String, busyTimeoutSeconds: Double) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return
        }
        if isDirectory.boolValue {
            throw StoreError.cannotOpen(path: path, reason: "it is a directory")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "it cannot be read")
        }
        let header: Data
        do {
            defer { try? handle.close() }
            header = try handle.read(upToCount: 100) ?? Data()
        }
        if header.isEmpty { return }  // SQLite treats an empty file as an empty database.
        guard header.count == 100, header.starts(with: sqliteHeader) else {
            throw StoreError.notADatabase(path: path)
        }
        try inspectReadOnly(path: path, busyTimeoutSeconds: busyTimeoutSeconds)
    }

    /// Reads the file through a read-only connection and checks what it holds.
    ///
    /// A WAL file left by a killed writer in a directory this process cannot write to needs a
    /// recovery that a read-only connection cannot run (`SQLITE_READONLY_RECOVERY`); such a
    /// file is already in WAL mode, so opening the pool changes nothing in it, and
    /// ``checkContents(of:path:)`` runs again on the pool before any migration.
    ///
    /// Every open writes to the file: the switch to WAL mode rewrites the header, migrations
    /// write tables, and GRDB's pool commits a table it creates and drops whenever the WAL file is
    /// missing or empty, which the checkpoint at close carries into the file. A write can use
    /// damage that reads never touch (free space that overlaps a cell) and fail half-way, so
    /// every file must first pass SQLite's `quick_check`; it reads each page once, about 0.1 s
    /// for a 400 MB store in memory and 0.3 s from disk.
    private static func inspectReadOnly(path: String, busyTimeoutSeconds: Double) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            try queue.read { db in
                try checkContents(of: db, path: path)
                if try String.fetchAll(db, sql: "PRAGMA quick_check") != ["ok"] {
                    throw StoreError.notADatabase(path: path)
                }
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY {
            return
        } catch let error as DatabaseError {
            throw StoreError.opening(path: path, error)
        }
    }

    /// Throws unless `db` is ida's (or holds no schema at all), has no unknown migration, and
    /// its record of applied migrations matches its tables.
    static func checkContents(of db: Database, path: String) throws {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let objectCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
        let isIda = applicationID == StoreSchema.applicationID
        let isBlank = applicationID == 0 && objectCount == 0
        guard isIda || isBlank else { throw StoreError.foreignDatabase(path: path) }
        guard try db.tableExists("grdb_migrations") else { return }
        // Fetched as raw values: in a damaged file an identifier can be NULL, a number or a blob
        // that is not UTF-8, which decoding as `String` would report as an untyped GRDB error.
        let values = try DatabaseValue.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        let applied = values.compactMap(String.fromDatabaseValue)
        guard applied.count == values.count else { throw StoreError.notADatabase(path: path) }
        let known = Set(StoreSchema.migrationIdentifiers)
        let unknown = applied.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw StoreError.newerSchema(path: path, unknownMigrations: unknown)
        }
        // An older ida's file has applied a prefix of the migrations and has none of the tables the
        // others create. A file that lost records of migrations whose tables it has is damaged:
        // migrating it would fail halfway, after SQLite had already rewritten parts of the file.
        let ordered = StoreSchema.migrationIdentifiers
        let pending = ordered.filter { !applied.contains($0) }
        let pendingTables = pending.flatMap { StoreSchema.tablesCreated[$0] ?? [] }
        guard Set(applied) == Set(ordered.prefix(applied.count)),
            try pendingTables.allSatisfy({ try !db.tableExists($0) })
        else {
            throw StoreError.cannotOpen(path: path, reason: "its record of migrations does not match its tables")
        }
    }
}

extension StoreError {
    /// The typed error for an SQLite failure while opening `path`.
    static func opening(path: String, _ error: DatabaseError) -> StoreError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT, .SQLITE_FORMAT:
            .notADatabase(path: path)
        default:
            .cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }
}
