import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import Store
@testable import StorePostgres

/// The databases the store conformance tests run against: an SQLite file always, and PostgreSQL
/// when a server is given in `IDA_POSTGRES_TEST_URL` (its admin URL, which `scripts/test` sets
/// after `scripts/postgres start`). Without it the PostgreSQL cases are not run, so they are
/// skipped, not passed.
enum StoreBackend: String, CaseIterable, Codable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static let server: PostgresLocation? = ProcessInfo.processInfo.environment["IDA_POSTGRES_TEST_URL"]
        .flatMap { try? PostgresLocation(parsing: $0) }

    static let available: [StoreBackend] = server == nil ? [.sqlite] : [.sqlite, .postgres]

    var testDescription: String { rawValue }
}

/// A new, empty database of one backend for one test, removed when the last reference goes: a
/// file in a temporary directory, or a database of its own on the test server.
final class FreshDatabase: Sendable {
    let backend: StoreBackend
    /// What `--db` would name: the file's path, or the database's URL.
    let locator: String
    private let directory: TemporaryDirectory
    private let postgresName: String?

    init(_ backend: StoreBackend) throws {
        self.backend = backend
        directory = try TemporaryDirectory()
        switch backend {
        case .sqlite:
            postgresName = nil
            locator = directory.path("ida.sqlite")
        case .postgres:
            let server = try #require(StoreBackend.server, "IDA_POSTGRES_TEST_URL names no server")
            let name = "ida_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try PostgresDatabases.create(name, on: server)
            postgresName = name
            locator = server.with(database: name).description
        }
    }

    /// Opens the store (creating and migrating it the first time).
    func open(configuration: StoreConfiguration = .small) throws -> any ServerStore {
        try Self.open(locator, configuration: configuration)
    }

    /// Opens the store `locator` names, as the command line does.
    static func open(_ locator: String, configuration: StoreConfiguration = .small) throws -> any ServerStore {
        try StoreLocator.open(locator, configuration: configuration)
    }

    /// A store with one `ia` run.
    func storeWithRun(configuration: StoreConfiguration = .small) throws -> (store: any ServerStore, run: RunRecord) {
        let store = try open(configuration: configuration)
        return (store, try store.createRun(StoreFixtures.newRun()))
    }

    /// The first column of the first row of `sql`, an integer, read straight from `store`, this
    /// database's store.
    func integer(_ sql: String, in store: any RunStore) throws -> Int {
        switch backend {
        case .sqlite:
            return try (store as! SQLiteStore).pool.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
        case .postgres:
            return try (store as! PostgresStore).connections.rows(PostgresQuery(unsafeSQL: sql))[0].decode(Int.self)
        }
    }

    /// Runs `sql` (SQLite's or PostgreSQL's, by backend) straight on the database.
    func execute(sqlite: String, postgres: String, in store: any RunStore) throws {
        switch backend {
        case .sqlite:
            try (store as! SQLiteStore).pool.write { db in try db.execute(sql: sqlite) }
        case .postgres:
            // `;;` separates statements: PostgreSQL's extended protocol takes one at a time.
            for statement in postgres.components(separatedBy: ";;") {
                _ = try (store as! PostgresStore).connections.rows(PostgresQuery(unsafeSQL: statement))
            }
        }
    }

    deinit {
        if let postgresName, let server = StoreBackend.server {
            try? PostgresDatabases.drop(postgresName, on: server)
        }
    }
}
