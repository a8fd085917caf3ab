import Foundation
import Store
import StorePostgres
import Testing

/// The databases the store conformance tests (and the web app's tests) run against: an SQLite
/// file always, and PostgreSQL when a server is given in `IDA_POSTGRES_TEST_URL` (its admin URL,
/// which `scripts/test` sets after `scripts/postgres start`). Without it the PostgreSQL cases are
/// not run, so they are skipped, not passed.
public enum StoreBackend: String, CaseIterable, Codable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    public static let server: PostgresLocation? = ProcessInfo.processInfo.environment["IDA_POSTGRES_TEST_URL"]
        .flatMap { try? PostgresLocation(parsing: $0) }

    public static let available: [StoreBackend] = server == nil ? [.sqlite] : [.sqlite, .postgres]

    public var testDescription: String { rawValue }
}

/// A new, empty database of one backend for one test, removed when the last reference goes: a
/// file in a temporary directory, or a database of its own on the test server.
public final class FreshDatabase: Sendable {
    public let backend: StoreBackend
    /// What `--db` would name: the file's path, or the database's URL.
    public let locator: String
    /// Where an SQLite database's file is (and anything else a test keeps beside it).
    public let directory: TemporaryDirectory
    private let postgresName: String?

    public init(_ backend: StoreBackend) throws {
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
    public func open(configuration: StoreConfiguration = .small) throws -> any ServerStore {
        try Self.open(locator, configuration: configuration)
    }

    /// Opens the store `locator` names, as the command line does.
    public static func open(_ locator: String, configuration: StoreConfiguration = .small) throws -> any ServerStore {
        try StoreLocator.open(locator, configuration: configuration)
    }

    deinit {
        if let postgresName, let server = StoreBackend.server {
            try? PostgresDatabases.drop(postgresName, on: server)
        }
    }
}
