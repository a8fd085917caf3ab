import Foundation
import GRDB
import StoreTestSupport
import Testing

@testable import Store

@Suite struct StoreSchemaTests {
    /// The committed schema, `Fixtures/schema.sql`.
    static let fixturePath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("Fixtures/schema.sql").path

    /// Every schema object after migration, as SQL statements ordered by type and name.
    static func dumpSchema(_ reader: some DatabaseReader) throws -> String {
        let statements = try reader.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT sql FROM sqlite_master
                    WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
                    ORDER BY type DESC, name
                    """)
        }
        return statements.map { $0 + ";\n" }.joined(separator: "\n")
    }

    @Test func migratedSchemaMatchesTheCommittedFixture() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStore(path: directory.path("ida.sqlite"))
        let schema = try Self.dumpSchema(store.pool)
        let fixture = try String(contentsOfFile: Self.fixturePath, encoding: .utf8)
        #expect(
            schema == fixture,
            "the schema changed: review it, then copy it into Tests/StoreTests/Fixtures/schema.sql:\n\(schema)"
        )
    }

    @Test func releasedMigrationsKeepTheirIdentifiersAndOrder() {
        // Append-only: new migrations go after these, and these are never renamed or removed.
        let released = [
            "createRun", "createMetric", "createEvaluation", "createCheckpoint", "createTrace", "createRunCounters",
            "addHCHRunKind", "createWorkspace", "countsByName", "createModelReply", "createPeople",
        ]
        #expect(Array(StoreSchema.migrationIdentifiers.prefix(released.count)) == released)
    }

    /// Every migration says which tables it creates, and the migrated schema has each of them
    /// (the rebuilt tables' temporary names aside).
    @Test func everyMigrationNamesTheTablesItCreates() throws {
        #expect(Set(StoreSchema.tablesCreated.keys) == Set(StoreSchema.migrationIdentifiers))
        let directory = try TemporaryDirectory()
        let store = try SQLiteStore(path: directory.path("ida.sqlite"))
        let tables = try store.pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
        #expect(
            Set(StoreSchema.tablesCreated.values.joined()).subtracting(["newRun", "newRunCounters"]).isSubset(of: Set(tables)))
    }

    @Test func everyMigrationIsAppliedAndTheApplicationIDIsSet() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStore(path: directory.path("ida.sqlite"))
        let (applied, applicationID) = try store.pool.read { db in
            (
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"),
                try Int32.fetchOne(db, sql: "PRAGMA application_id")
            )
        }
        #expect(Set(applied) == Set(StoreSchema.migrationIdentifiers))
        #expect(applicationID == 0x4944_4121)
    }

    @Test func reopeningAnUpToDateDatabaseChangesNothing() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ida.sqlite")
        let before = try Self.dumpSchema(try SQLiteStore(path: path).pool)
        let after = try Self.dumpSchema(try SQLiteStore(path: path).pool)
        #expect(before == after)
    }

    @Test func kindAndStatusRawValuesMatchTheSchemaChecks() throws {
        // The CHECK constraints in `run` list these spellings; changing one needs a migration.
        #expect(RunKind.allCases.map(\.rawValue) == ["ia", "supervised", "group", "hch", "rlhf"])
        #expect(
            RunStatus.allCases.map(\.rawValue) == ["running", "completed", "failed", "interrupted"])
        #expect(WorkspaceState.allCases.map(\.rawValue) == ["acting", "waiting", "answered"])
    }

    @Test(arguments: [
        "INSERT INTO metric (runId, name, step, value) VALUES ('no-such-run', 'loss', 0, 1)",
        "INSERT INTO run (id, kind, task, preset, schedule, configuration, seed, status, createdAt, updatedAt) VALUES ('r', 'ppo', 't', 'p', 's', '{}', 0, 'running', 0, 0)",
        "INSERT INTO workspace (runId, id, depth, context, question, state, detail) VALUES ('no-such-run', '1', 0, 0, 'q', 'answered', '{}')",
        "INSERT INTO run (id, kind, task, preset, schedule, configuration, seed, status, createdAt, updatedAt) VALUES ('r', 'ia', 't', 'p', 's', '{}', 0, 'paused', 0, 0)",
        "INSERT INTO runCounters (runId, steps, examples, supervisorActions, leafLookups, groundTruthLabels, expertCalls) VALUES ('no-such-run', 0, 0, 0, 0, 0, 0)",
    ])
    func theSchemaRejectsRowsThatBreakItsConstraints(sql: String) throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStore(path: directory.path("ida.sqlite"))
        #expect(throws: DatabaseError.self) {
            try store.pool.write { db in try db.execute(sql: sql) }
        }
    }

    @Test(arguments: [
        "'oracle', 0, 0, NULL", "'learned', -1, 0, NULL", "'learned', 0, 0, 1.5", "'scripted', 0, 0, -0.1",
    ])
    func runCountersRejectsAnUnknownSupervisorNegativeCountsAndAccuraciesOutsideZeroToOne(values: String) throws {
        let directory = try TemporaryDirectory()
        let (store, run) = try StoreFixtures.storeWithRun(in: directory)
        #expect(throws: DatabaseError.self) {
            try store.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO runCounters (runId, supervisor, expertCalls, groundTruthLabels, askerAnswerAccuracy,
                                                 steps, examples, supervisorActions, leafLookups)
                        VALUES ('\(run.id)', \(values), 0, 0, 0, 0)
                        """)
            }
        }
    }
}
