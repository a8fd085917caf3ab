import Foundation
import GRDB

/// The ``RunStore`` in one SQLite file (through GRDB): the store for one machine, and ida's
/// default.
///
/// The file is in WAL mode, so readers (`ida runs`, `ida report`, a web page) never wait for the
/// training loop, and every write happens in one transaction: a process killed with `kill -9`
/// loses nothing it had committed. Opening checks the file first and throws a one-line
/// ``StoreError`` for a file that is not SQLite, belongs to another application, or was written
/// by a newer ida; such a file is left byte for byte as it was.
///
/// The store never reads the clock or the environment: times are passed in, and the command
/// line chooses the path (``defaultPath(home:)`` unless `--db` says otherwise).
///
/// For example:
///
/// ```swift
/// let store = try SQLiteStore(path: SQLiteStore.defaultPath(home: home))
/// let run = try store.createRun(NewRun(
///     kind: .ia, task: "sort", preset: "small", schedule: "continuous",
///     configuration: json, seed: 7, createdAt: now))
/// try store.appendMetrics([MetricSample(step: 10, name: "loss", value: 1.25)], run: run.id)
/// let loss = try store.metricSeries("loss", run: run.id)
/// ```
///
/// `SQLiteStore` is a `Sendable` value; copies share one connection pool. Its SQL is SQLite's
/// and stays in this type: callers see only ``RunStore``.
public struct SQLiteStore: RunStore {
    /// The database file.
    public let path: String
    public let configuration: StoreConfiguration
    /// One writer and several concurrent readers on the file (GRDB's WAL connection pool).
    let pool: DatabasePool

    /// The documented default database location: `<home>/.ida/ida.sqlite`.
    ///
    /// The command line passes the user's home directory (and `--db` replaces the whole path);
    /// the library never looks it up itself.
    public static func defaultPath(home: String) -> String {
        URL(fileURLWithPath: home, isDirectory: true)
            .appendingPathComponent(".ida", isDirectory: true)
            .appendingPathComponent("ida.sqlite").path
    }

    /// Opens the database at `path`, creating it (and its directory) if needed, and migrates it
    /// to the current schema.
    ///
    /// - Throws: ``StoreError/notADatabase(path:)``, ``StoreError/foreignDatabase(path:)``,
    ///   ``StoreError/newerSchema(path:unknownMigrations:)`` or
    ///   ``StoreError/cannotOpen(path:reason:)``; an existing file that is rejected keeps its
    ///   bytes.
    /// - Precondition: `configuration.checkpointsKept >= 1` and
    ///   `configuration.busyTimeoutSeconds` is finite and not negative.
    public init(path: String, configuration: StoreConfiguration = .small) throws {
        precondition(
            configuration.checkpointsKept >= 1,
            "SQLiteStore: checkpointsKept must be at least 1, got \(configuration.checkpointsKept)")
        precondition(
            configuration.busyTimeoutSeconds.isFinite && configuration.busyTimeoutSeconds >= 0,
            "SQLiteStore: busyTimeoutSeconds must be finite and >= 0, got \(configuration.busyTimeoutSeconds)"
        )
        self.path = path
        self.configuration = configuration
        try Self.createDirectory(containing: path)
        try StoreFileProbe.check(path: path, busyTimeoutSeconds: configuration.busyTimeoutSeconds)
        var grdbConfiguration = Configuration()
        grdbConfiguration.foreignKeysEnabled = true
        grdbConfiguration.busyMode = .timeout(configuration.busyTimeoutSeconds)
        do {
            pool = try DatabasePool(path: path, configuration: grdbConfiguration)
            // GRDB opens its WAL pool with `synchronous = NORMAL`; the one writer connection is
            // the only one that commits, and it keeps this setting for its lifetime.
            if configuration.syncEveryCommit {
                try pool.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA synchronous = FULL")
                }
            }
            try pool.read { db in try StoreFileProbe.checkContents(of: db, path: path) }
            try StoreSchema.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw StoreError.opening(path: path, error)
        } catch let error as StoreError {
            throw error
        } catch {
            // GRDB can also throw decoding errors while it reads a damaged schema; a user
            // still gets one typed line naming the file.
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// Closes every connection; later calls on this store (or its copies) throw.
    public func close() throws {
        try pool.close()
    }

    private static func createDirectory(containing path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotOpen(
                path: path, reason: "cannot create the directory \(directory)")
        }
    }

    /// Runs `body` in one write transaction after checking that run `id` exists.
    func write<T>(run id: String, _ body: (Database) throws -> T) throws -> T {
        try pool.write { db in
            try Self.requireRun(id, in: db)
            return try body(db)
        }
    }

    /// Runs `body` in one read transaction (a consistent snapshot) after checking that run `id`
    /// exists.
    func read<T>(run id: String, _ body: (Database) throws -> T) throws -> T {
        try pool.read { db in
            try Self.requireRun(id, in: db)
            return try body(db)
        }
    }

    static func requireRun(_ id: String, in db: Database) throws {
        guard try runExists(id, in: db) else { throw StoreError.runNotFound(id: id) }
    }

    static func runExists(_ id: String, in db: Database) throws -> Bool {
        let sql = "SELECT EXISTS (SELECT 1 FROM run WHERE id = ?)"
        return try Bool.fetchOne(db, sql: sql, arguments: [id]) == true
    }
}
