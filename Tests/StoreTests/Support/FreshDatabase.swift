import Foundation
import GRDB
import PostgresNIO
import StoreTestSupport

@testable import Store
@testable import StorePostgres

/// What the store tests read and write straight on a fresh database, past the protocol.
extension FreshDatabase {
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
}
