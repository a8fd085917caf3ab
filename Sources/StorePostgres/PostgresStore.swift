import Foundation
import PostgresNIO
import Store

/// The ``RunStore`` on a PostgreSQL server: what a team uses when one run outgrows one machine.
///
/// The same requirements as ``SQLiteStore`` (the conformance suite in `StoreTests` runs every
/// store test against both): every write is one transaction, an unknown run id throws
/// ``StoreError/runNotFound(id:)``, times are passed in. Opening connects, and migrates an empty
/// database (or refuses a foreign or newer one) under an advisory lock, so that processes opening
/// one database at once migrate it once.
///
/// ```swift
/// let store = try PostgresStore(location: PostgresLocation(parsing: "postgres://ida@db.lab/ida"))
/// let run = try store.createRun(new)
/// ```
///
/// A `Sendable` value: copies share one bounded connection pool. The password is used to log in
/// and never appears in ``path``, in errors or in the store.
public struct PostgresStore: RunStore {
    public let location: PostgresLocation
    public let configuration: StoreConfiguration
    let connections: PostgresConnections
    /// Queued work, for idle workers.
    let notifications: WorkNotifications
    /// Completed replies, for the processes waiting on them.
    let replyNotifications: WorkNotifications

    /// The location without its password.
    public var path: String { location.description }

    /// Connects to `location` and migrates its database to the current schema.
    ///
    /// - Parameter connectionLimit: connections open at once at most (callers beyond it wait).
    /// - Throws: ``PostgresStoreError/unreachable(location:reason:)`` when no connection can be
    ///   made, ``StoreError/foreignDatabase(path:)`` or
    ///   ``StoreError/newerSchema(path:unknownMigrations:)`` for a database ida may not use.
    public init(location: PostgresLocation, configuration: StoreConfiguration = .small, connectionLimit: Int = 4) throws {
        precondition(
            configuration.checkpointsKept >= 1,
            "PostgresStore: checkpointsKept must be at least 1, got \(configuration.checkpointsKept)")
        self.location = location
        self.configuration = configuration
        connections = try PostgresConnections(location: location, limit: connectionLimit)
        notifications = WorkNotifications(location: location, channel: Self.workChannel)
        replyNotifications = WorkNotifications(location: location, channel: Self.replyChannel)
        do {
            try PostgresSchema.migrate(connections)
        } catch {
            connections.close()
            throw error
        }
    }

    public func close() throws {
        notifications.close()
        replyNotifications.close()
        connections.close()
    }

    /// Runs `body` in one transaction after checking that run `id` exists.
    func write<T>(run id: String, _ body: (Session) throws -> T) throws -> T {
        try connections.transaction { connection in
            let session = Session(connections: connections, connection: connection)
            try session.requireRun(id)
            return try body(session)
        }
    }

    /// Runs `body` in one read-only transaction at repeatable read (one snapshot, as SQLite's
    /// readers see) after checking that run `id` exists.
    func read<T>(run id: String, _ body: (Session) throws -> T) throws -> T {
        try connections.transaction { connection in
            let session = Session(connections: connections, connection: connection)
            try session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            try session.requireRun(id)
            return try body(session)
        }
    }

    func transaction<T>(_ body: (Session) throws -> T) throws -> T {
        try connections.transaction { try body(Session(connections: connections, connection: $0)) }
    }

    /// One connection inside one transaction.
    struct Session {
        let connections: PostgresConnections
        let connection: PostgresConnection

        func rows(_ query: PostgresQuery) throws -> [PostgresRow] {
            try connections.rows(query, on: connection)
        }

        func execute(_ query: PostgresQuery) throws {
            _ = try rows(query)
        }

        /// Sends every statement before waiting for the first reply: one transaction's inserts
        /// cost one wait, not one per row.
        func executeAll(_ queries: [PostgresQuery]) throws {
            try connections.pipeline(queries, on: connection)
        }

        func requireRun(_ id: String) throws {
            guard try runExists(id) else { throw StoreError.runNotFound(id: id) }
        }

        func runExists(_ id: String) throws -> Bool {
            try rows("SELECT EXISTS (SELECT 1 FROM run WHERE id = \(id))")[0].decode(Bool.self)
        }
    }
}

extension PostgresStoreError {
    /// A row the schema's constraints should have made impossible.
    static func corrupt(_ what: String) -> PostgresStoreError {
        .server(sqlState: "XX001", message: what)
    }
}
