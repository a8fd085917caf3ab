import GRDB

/// The database schema: its migrations and the application id that marks a file as ida's.
///
/// Migrations are append-only and forward-only: an identifier, once released, is never edited
/// or removed; a change is a new migration appended at the end. `Documentation/DatabaseSchema.md`
/// describes every table, and `Tests/StoreTests/Fixtures/schema.sql` pins the resulting schema.
enum StoreSchema {
    /// `PRAGMA application_id` of every ida database: the ASCII bytes `IDA!` (0x49444121).
    static let applicationID: Int32 = 0x4944_4121

    /// The identifiers of ``migrator``, oldest first.
    static var migrationIdentifiers: [String] { migrator.migrations }

    /// The tables each migration creates (the table it rebuilds under a new name included), so
    /// that opening can tell an older file, which has none of a pending migration's tables, from a
    /// damaged one.
    static let tablesCreated: [String: [String]] = [
        "createRun": ["run"], "createMetric": ["metric"], "createEvaluation": ["evaluation"],
        "createCheckpoint": ["checkpoint"], "createTrace": ["trace"], "createRunCounters": ["runCounters"],
        "addHCHRunKind": ["newRun"], "createWorkspace": ["workspace"], "countsByName": ["runCount", "newRunCounters"],
        "createModelReply": ["modelReply"], "createPeople": ["account", "accountSession", "auditEntry", "correction"],
        "addRLHFRunKind": ["newRun"],
    ]

    /// Every migration, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("createRun", migrate: createRun)
        migrator.registerMigration("createMetric", migrate: createMetric)
        migrator.registerMigration("createEvaluation", migrate: createEvaluation)
        migrator.registerMigration("createCheckpoint", migrate: createCheckpoint)
        migrator.registerMigration("createTrace", migrate: createTrace)
        migrator.registerMigration("createRunCounters", migrate: createRunCounters)
        migrator.registerMigration("addHCHRunKind", migrate: addHCHRunKind)
        migrator.registerMigration("createWorkspace", migrate: createWorkspace)
        migrator.registerMigration("countsByName", migrate: countsByName)
        migrator.registerMigration("createModelReply", migrate: createModelReply)
        migrator.registerMigration("createPeople", migrate: createPeople)
        migrator.registerMigration("addRLHFRunKind", migrate: addRLHFRunKind)
        return migrator
    }

    // NB: a released migration is frozen, so its SQL spells every literal out (the CHECK lists
    // below are `RunKind` and `RunStatus` as of this migration, not computed from them).
    private static func createRun(_ db: Database) throws {
        try db.execute(sql: "PRAGMA application_id = \(applicationID)")
        try db.create(table: "run") { table in
            table.primaryKey("id", .text)
            table.column("parentId", .text).indexed().references("run", onDelete: .cascade)
            table.column("kind", .text).notNull().check(
                sql: "kind IN ('ia', 'supervised', 'group')")
            table.column("task", .text).notNull()
            table.column("preset", .text).notNull()
            table.column("schedule", .text).notNull()
            table.column("configuration", .text).notNull()
            table.column("seed", .integer).notNull()
            table.column("status", .text).notNull().check(
                sql: "status IN ('running', 'completed', 'failed', 'interrupted')")
            table.column("createdAt", .datetime).notNull()
            table.column("updatedAt", .datetime).notNull()
            table.column("wallSeconds", .double).notNull().defaults(to: 0)
            table.column("report", .text)
        }
    }

    private static func createMetric(_ db: Database) throws {
        try db.create(table: "metric", options: .withoutRowID) { table in
            table.column("runId", .text).notNull().references("run", onDelete: .cascade)
            table.column("name", .text).notNull().check(sql: "name <> ''")
            table.column("step", .integer).notNull().check(sql: "step >= 0")
            // NULL stands for NaN, which SQLite cannot store as a REAL.
            table.column("value", .double)
            table.primaryKey(["runId", "name", "step"])
        }
    }

    private static func createEvaluation(_ db: Database) throws {
        try db.create(table: "evaluation", options: .withoutRowID) { table in
            table.column("runId", .text).notNull().references("run", onDelete: .cascade)
            table.column("step", .integer).notNull().check(sql: "step >= 0")
            table.column("model", .text).notNull().check(sql: "model <> ''")
            table.column("depth", .integer).notNull().check(sql: "depth >= 0")
            table.column("count", .integer).notNull().check(sql: "count >= 0")
            table.column("correct", .integer).notNull().check(sql: "correct BETWEEN 0 AND count")
            table.primaryKey(["runId", "step", "model", "depth"])
        }
    }

    private static func createCheckpoint(_ db: Database) throws {
        try db.create(table: "checkpoint") { table in
            table.column("runId", .text).notNull().references("run", onDelete: .cascade)
            table.column("step", .integer).notNull().check(sql: "step >= 0")
            table.column("formatVersion", .integer).notNull().check(sql: "formatVersion >= 1")
            table.column("payload", .blob).notNull()
            table.column("trainerState", .text).notNull()
            table.column("createdAt", .datetime).notNull()
            table.primaryKey(["runId", "step"])
        }
    }

    private static func createTrace(_ db: Database) throws {
        try db.create(table: "trace") { table in
            table.autoIncrementedPrimaryKey("id")
            table.column("runId", .text).notNull().references("run", onDelete: .cascade)
            table.column("step", .integer).notNull().check(sql: "step >= 0")
            table.column("task", .text).notNull()
            table.column("question", .text).notNull()
            table.column("trace", .text).notNull()
        }
        try db.create(index: "trace_on_runId_step", on: "trace", columns: ["runId", "step"])
    }

    /// What a run consumed (expert calls beside ground-truth labels) and H′'s held-out
    /// action accuracy per action type, one row per run.
    private static func createRunCounters(_ db: Database) throws {
        try db.create(table: "runCounters") { table in
            table.primaryKey("runId", .text).references("run", onDelete: .cascade)
            table.column("supervisor", .text).check(sql: "supervisor IN ('scripted', 'learned')")
            for count in ["steps", "examples", "supervisorActions", "leafLookups", "groundTruthLabels", "expertCalls"] {
                table.column(count, .integer).notNull().check(sql: "\(count) >= 0")
            }
            for accuracy in ["askerSubquestionAccuracy", "askerAnswerAccuracy"] {
                table.column(accuracy, .double).check(sql: "\(accuracy) BETWEEN 0 AND 1")
            }
        }
    }

    /// A run's counts move to rows keyed by name (`runCount`), so that a count the training keeps
    /// (the engine's refused actions, say) is stored without a new column; `runCounters` keeps the
    /// supervisor and H′'s accuracies, and is rebuilt without its count columns (SQLite's
    /// documented procedure, as for `addHCHRunKind`). Every stored count is copied.
    private static func countsByName(_ db: Database) throws {
        try db.create(table: "runCount") { table in
            table.column("runId", .text).notNull().references("run", onDelete: .cascade)
            table.column("name", .text).notNull()
            table.column("value", .integer).notNull().check(sql: "value >= 0")
            table.primaryKey(["runId", "name"])
        }
        for count in ["steps", "examples", "supervisorActions", "leafLookups", "groundTruthLabels", "expertCalls"] {
            let name = ["supervisorActions": "amplification.supervisorActions", "leafLookups": "amplification.leafLookups"][count] ?? count
            try db.execute(
                sql: "INSERT INTO runCount (runId, name, value) SELECT runId, ?, \(count) FROM runCounters",
                arguments: [name])
        }
        try db.create(table: "newRunCounters") { table in
            table.primaryKey("runId", .text).references("run", onDelete: .cascade)
            table.column("supervisor", .text).check(sql: "supervisor IN ('scripted', 'learned')")
            for accuracy in ["askerSubquestionAccuracy", "askerAnswerAccuracy"] {
                table.column(accuracy, .double).check(sql: "\(accuracy) BETWEEN 0 AND 1")
            }
        }
        try db.execute(
            sql: """
                INSERT INTO newRunCounters (runId, supervisor, askerSubquestionAccuracy, askerAnswerAccuracy)
                SELECT runId, supervisor, askerSubquestionAccuracy, askerAnswerAccuracy FROM runCounters
                """)
        try db.drop(table: "runCounters")
        try db.rename(table: "newRunCounters", to: "runCounters")
    }

    /// `run.kind` admits `hch`. SQLite cannot change a CHECK constraint in place, so the table is
    /// rebuilt (SQLite's documented procedure, foreign keys off during the migration as GRDB runs
    /// it; the rows, their ids and every reference to them are kept).
    private static func addHCHRunKind(_ db: Database) throws {
        try rebuildRun(db, kindCheck: "kind IN ('ia', 'supervised', 'group', 'hch')")
    }

    /// `run.kind` admits `rlhf`: the table rebuilt as for `addHCHRunKind`.
    private static func addRLHFRunKind(_ db: Database) throws {
        try rebuildRun(db, kindCheck: "kind IN ('ia', 'supervised', 'group', 'hch', 'rlhf')")
    }

    /// Rebuilds `run` with `kindCheck` as its kind's CHECK (each migration spells its list out).
    private static func rebuildRun(_ db: Database, kindCheck: String) throws {
        try db.create(table: "newRun") { table in
            table.primaryKey("id", .text)
            table.column("parentId", .text).references("run", onDelete: .cascade)
            table.column("kind", .text).notNull().check(sql: kindCheck)
            table.column("task", .text).notNull()
            table.column("preset", .text).notNull()
            table.column("schedule", .text).notNull()
            table.column("configuration", .text).notNull()
            table.column("seed", .integer).notNull()
            table.column("status", .text).notNull().check(
                sql: "status IN ('running', 'completed', 'failed', 'interrupted')")
            table.column("createdAt", .datetime).notNull()
            table.column("updatedAt", .datetime).notNull()
            table.column("wallSeconds", .double).notNull().defaults(to: 0)
            table.column("report", .text)
        }
        try db.execute(
            sql: """
                INSERT INTO newRun (id, parentId, kind, task, preset, schedule, configuration, seed, status,
                                    createdAt, updatedAt, wallSeconds, report)
                SELECT id, parentId, kind, task, preset, schedule, configuration, seed, status,
                       createdAt, updatedAt, wallSeconds, report FROM run
                """)
        try db.drop(table: "run")
        try db.rename(table: "newRun", to: "run")
        try db.create(index: "run_on_parentId", on: "run", columns: ["parentId"])
    }

    /// The workspaces of amplification trees, one row per node, keyed by its path id in the run.
    private static func createWorkspace(_ db: Database) throws {
        try db.create(table: "workspace", options: .withoutRowID) { table in
            table.column("runId", .text).notNull().references("run", onDelete: .cascade)
            table.column("id", .text).notNull().check(sql: "id <> ''")
            table.column("parentId", .text)
            table.column("depth", .integer).notNull().check(sql: "depth >= 0")
            table.column("context", .integer).notNull().check(sql: "context >= 0")
            table.column("question", .text).notNull()
            table.column("answer", .text)
            table.column("answeredBy", .text)
            table.column("state", .text).notNull().check(sql: "state IN ('acting', 'waiting', 'answered')")
            table.column("detail", .text).notNull()
            table.primaryKey(["runId", "id"])
        }
    }

    /// The language models' response cache: one reply per request key (the endpoint, the model,
    /// the messages and every parameter, as canonical JSON), shared by every run of the file.
    private static func createModelReply(_ db: Database) throws {
        try db.create(table: "modelReply", options: .withoutRowID) { table in
            table.primaryKey("key", .text)
            table.column("reply", .text).notNull()
            table.column("createdAt", .datetime).notNull()
        }
    }

    /// The web app's people: accounts, their sessions (by token hash), the append-only audit
    /// log, and corrections as versions (`UserRole` as of this migration).
    private static func createPeople(_ db: Database) throws {
        try db.create(table: "account", options: .withoutRowID) { table in
            table.primaryKey("name", .text).check(sql: "name <> ''")
            table.column("role", .text).notNull().check(sql: "role IN ('researcher', 'supervisor')")
            table.column("passwordHash", .text)
            table.column("invitationHash", .text).unique()
            table.column("invitedBy", .text)
            table.column("createdAt", .datetime).notNull()
        }
        try db.create(table: "accountSession", options: .withoutRowID) { table in
            table.primaryKey("tokenHash", .text)
            table.column("account", .text).notNull().indexed().references("account", onDelete: .cascade)
            table.column("csrfToken", .text).notNull()
            table.column("createdAt", .datetime).notNull()
            table.column("expiresAt", .datetime).notNull()
        }
        try db.create(table: "auditEntry") { table in
            table.autoIncrementedPrimaryKey("sequence")
            table.column("at", .datetime).notNull()
            table.column("account", .text)
            table.column("action", .text).notNull()
            table.column("runId", .text)
            table.column("node", .text)
            table.column("detail", .text).notNull()
            table.column("seconds", .double)
        }
        try db.create(index: "auditEntry_on_runId", on: "auditEntry", columns: ["runId", "sequence"])
        try db.create(index: "auditEntry_on_account", on: "auditEntry", columns: ["account", "sequence"])
        try db.create(table: "correction", options: .withoutRowID) { table in
            table.column("runId", .text).notNull().references("run", onDelete: .cascade)
            table.column("node", .text).notNull().check(sql: "node <> ''")
            table.column("version", .integer).notNull().check(sql: "version >= 1")
            table.column("author", .text).notNull()
            table.column("at", .datetime).notNull()
            table.column("before", .text)
            table.column("after", .text).notNull()
            table.column("reason", .text).notNull()
            table.primaryKey(["runId", "node", "version"])
        }
    }
}
