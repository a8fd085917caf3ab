import Foundation
import PostgresNIO
import StoreTestSupport
import Testing

@testable import Store
@testable import StorePostgres

@Suite struct PostgresLocationTests {
    static let environment = ["USER": "ada"]

    @Test(arguments: [
        ("postgres://bob:pw@db.lab:6543/runs", PostgresLocation.Endpoint.tcp(host: "db.lab", port: 6543), "bob", "pw", "runs"),
        ("postgresql://bob@db.lab/runs", .tcp(host: "db.lab", port: 5432), "bob", nil, "runs"),
        ("postgres://db.lab", .tcp(host: "db.lab", port: 5432), "ada", nil, "ada"),
        ("postgres:///runs?host=/tmp/pg", .unixSocket(path: "/tmp/pg/.s.PGSQL.5432"), "ada", nil, "runs"),
        ("postgres://bob@/runs?host=/tmp/pg&port=6000", .unixSocket(path: "/tmp/pg/.s.PGSQL.6000"), "bob", nil, "runs"),
        ("postgres://b%40b:p%3Aw@h/r%20s", .tcp(host: "h", port: 5432), "b@b", "p:w", "r s"),
        ("/tmp/pg/.s.PGSQL.5433", .unixSocket(path: "/tmp/pg/.s.PGSQL.5433"), "ada", nil, "ada"),
    ] as [(String, PostgresLocation.Endpoint, String, String?, String)])
    func locationsParseAsLibpqReadsThem(
        text: String, endpoint: PostgresLocation.Endpoint, user: String, password: String?, database: String
    ) throws {
        let location = try PostgresLocation(parsing: text, environment: Self.environment)
        #expect(location.endpoint == endpoint && location.username == user)
        #expect(location.password == password && location.database == database)
        // What is printed parses back to the same place, without the password.
        let printed = try PostgresLocation(parsing: location.description, environment: Self.environment)
        #expect(printed.endpoint == location.endpoint && printed.username == location.username)
        #expect(printed.database == location.database && printed.password == nil)
    }

    @Test func theEnvironmentFillsWhatTheURLLeavesOut() throws {
        let location = try PostgresLocation(
            parsing: "postgres://", environment: ["PGUSER": "eve", "PGPASSWORD": "pw", "PGHOST": "/run/pg", "PGPORT": "7000"])
        #expect(location.endpoint == .unixSocket(path: "/run/pg/.s.PGSQL.7000"))
        #expect(location.username == "eve" && location.password == "pw" && location.database == "eve")
    }

    @Test(arguments: [
        ("postgres://h:99999/d", "the port 99999"),
        ("postgres://h/d?sslmode=verify-full", "sslmode verify-full"),
        ("postgres://h/d?application_name=x", "unknown parameter application_name"),
        ("/tmp/ida.sqlite", "neither a postgres:// URL"),
    ])
    func badLocationsAreOneLineThatSaysWhy(text: String, expected: String) {
        #expect {
            try PostgresLocation(parsing: text, environment: Self.environment)
        } throws: { error in
            "\(error)".contains(expected) && !"\(error)".contains("\n")
        }
    }

    @Test func thePasswordIsNeverPrinted() throws {
        let location = try PostgresLocation(parsing: "postgres://bob:hunter2@h/d?sslmode=require", environment: [:])
        #expect(!location.description.contains("hunter2") && !String(reflecting: location).contains("hunter2"))
        #expect(location.description == "postgres://bob@h:5432/d?sslmode=require")
        #expect(PostgresLocation.redacted("postgres://bob:hunter2@h/d?password=hunter2") == "postgres://bob:***@h/d?password=***")
    }

    @Test func onlyURLsAndSocketsNamePostgres() {
        #expect(StoreLocator.isPostgres("postgres://h/d") && StoreLocator.isPostgres("POSTGRESQL://h/d"))
        #expect(!StoreLocator.isPostgres("/tmp/ida.sqlite") && !StoreLocator.isPostgres("ida.sqlite"))
    }

    /// No server at the socket: one line, naming the place without its password, within the
    /// time of one failed connect.
    @Test func anUnreachableServerIsOneLineWithoutThePassword() throws {
        let directory = try TemporaryDirectory()
        let location = try PostgresLocation(
            parsing: "postgres://bob:hunter2@/runs?host=\(directory.path("nothing"))", environment: [:])
        let started = Date()
        #expect {
            try PostgresStore(location: location)
        } throws: { error in
            guard case .unreachable = error as? PostgresStoreError else { return false }
            let line = "\(error)"
            return line.contains("postgres://bob@/runs") && !line.contains("hunter2") && !line.contains("\n")
        }
        #expect(Date().timeIntervalSince(started) < 30)
    }
}

/// What opening does to databases that are not ida's, or not yet, on the real test server.
@Suite(.enabled(if: StoreBackend.server != nil, "IDA_POSTGRES_TEST_URL names no server"))
struct PostgresOpeningTests {
    @Test func anotherApplicationsDatabaseIsRejectedAndLeftUnchanged() throws {
        let database = try FreshDatabase(.postgres)
        let location = try PostgresLocation(parsing: database.locator)
        let raw = try PostgresConnections(location: location, limit: 1)
        defer { raw.close() }
        _ = try raw.rows("CREATE TABLE notes (body text)")
        _ = try raw.rows("INSERT INTO notes VALUES ('keep me')")
        #expect(throws: StoreError.foreignDatabase(path: location.description)) { try PostgresStore(location: location) }
        let tables = try raw.rows(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
        ).map { try $0.decode(String.self) }
        #expect(tables == ["notes"])
        #expect(try raw.rows("SELECT body FROM notes")[0].decode(String.self) == "keep me")
    }

    @Test func aDatabaseFromANewerIdaIsRejectedAndLeftUnchanged() throws {
        let database = try FreshDatabase(.postgres)
        let store = try database.open()
        let run = try store.createRun(StoreFixtures.newRun())
        try database.execute(sqlite: "", postgres: "INSERT INTO idaMigration (identifier) VALUES ('fromTheFuture')", in: store)
        try store.close()
        let location = try PostgresLocation(parsing: database.locator)
        #expect(throws: StoreError.newerSchema(path: location.description, unknownMigrations: ["fromTheFuture"])) {
            try PostgresStore(location: location)
        }
        let raw = try PostgresConnections(location: location, limit: 1)
        defer { raw.close() }
        #expect(try raw.rows("SELECT id FROM run")[0].decode(String.self) == run.id)
    }

    /// Processes opening one new database at once: every one opens it, and each migration is
    /// applied once.
    @Test func storesOpeningANewDatabaseAtOnceMigrateItOnce() throws {
        let database = try FreshDatabase(.postgres)
        let locator = database.locator
        let opened = DispatchGroup()
        let failures = Collected<String>()
        for _ in 0..<6 {
            opened.enter()
            Thread {
                do { try FreshDatabase.open(locator).close() } catch { failures.append("\(error)") }
                opened.leave()
            }.start()
        }
        #expect(opened.wait(timeout: .now() + 60) == .success)
        #expect(failures.all.isEmpty)
        let store = try database.open()
        #expect(
            try database.integer("SELECT count(*) FROM idaMigration", in: store) == PostgresSchema.migrations.count)
    }
}
