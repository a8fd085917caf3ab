import PostgresNIO
import Store

/// The PostgreSQL schema: the same tables and columns as the SQLite file's (see
/// `Documentation/DatabaseSchema.md`), in PostgreSQL's types, and its own migrations.
///
/// Migrations follow SQLite's rules: append-only, forward-only, an identifier once released is
/// never edited. The SQLite file's history (tables rebuilt to change a CHECK) is not replayed:
/// the first migration here creates the schema that history arrived at. Identifiers are applied
/// in `idaMigration`, whose presence marks a database as ida's.
enum PostgresSchema {
    struct Migration {
        let identifier: String
        /// One statement each (the extended protocol runs one at a time).
        let statements: [String]
    }

    /// A constant key for `pg_advisory_xact_lock`: processes opening one database at once
    /// migrate it one after another. The ASCII bytes `IDA!`, as SQLite's application id.
    static let migrationLock: Int64 = 0x4944_4121

    // NB: a released migration is frozen, so its SQL spells every literal out (the CHECK lists
    // are `RunKind`, `RunStatus` and `WorkspaceState` as of this migration).
    static let migrations: [Migration] = [
        Migration(identifier: "createSchema", statements: [
            """
            CREATE TABLE run (
                id text PRIMARY KEY,
                parentId text REFERENCES run (id) ON DELETE CASCADE,
                kind text NOT NULL CHECK (kind IN ('ia', 'supervised', 'group', 'hch')),
                task text NOT NULL,
                preset text NOT NULL,
                schedule text NOT NULL,
                configuration text NOT NULL,
                seed bigint NOT NULL,
                status text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
                createdAt timestamptz NOT NULL,
                updatedAt timestamptz NOT NULL,
                wallSeconds double precision NOT NULL DEFAULT 0,
                report text)
            """,
            "CREATE INDEX run_on_parentId ON run (parentId)",
            """
            CREATE TABLE metric (
                runId text NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                name text NOT NULL CHECK (name <> ''),
                step bigint NOT NULL CHECK (step >= 0),
                value double precision NOT NULL,
                PRIMARY KEY (runId, name, step))
            """,
            """
            CREATE TABLE evaluation (
                runId text NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                step bigint NOT NULL CHECK (step >= 0),
                model text NOT NULL CHECK (model <> ''),
                depth bigint NOT NULL CHECK (depth >= 0),
                count bigint NOT NULL CHECK (count >= 0),
                correct bigint NOT NULL CHECK (correct BETWEEN 0 AND count),
                PRIMARY KEY (runId, step, model, depth))
            """,
            """
            CREATE TABLE checkpoint (
                runId text NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                step bigint NOT NULL CHECK (step >= 0),
                formatVersion bigint NOT NULL CHECK (formatVersion >= 1),
                payload bytea NOT NULL,
                trainerState text NOT NULL,
                createdAt timestamptz NOT NULL,
                PRIMARY KEY (runId, step))
            """,
            """
            CREATE TABLE trace (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                runId text NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                step bigint NOT NULL CHECK (step >= 0),
                task text NOT NULL,
                question text NOT NULL,
                trace text NOT NULL)
            """,
            "CREATE INDEX trace_on_runId_step ON trace (runId, step)",
            """
            CREATE TABLE runCounters (
                runId text PRIMARY KEY REFERENCES run (id) ON DELETE CASCADE,
                supervisor text CHECK (supervisor IN ('scripted', 'learned')),
                askerSubquestionAccuracy double precision CHECK (askerSubquestionAccuracy BETWEEN 0 AND 1),
                askerAnswerAccuracy double precision CHECK (askerAnswerAccuracy BETWEEN 0 AND 1))
            """,
            """
            CREATE TABLE runCount (
                runId text NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                name text NOT NULL,
                value bigint NOT NULL CHECK (value >= 0),
                PRIMARY KEY (runId, name))
            """,
            """
            CREATE TABLE workspace (
                runId text NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                id text NOT NULL CHECK (id <> ''),
                parentId text,
                depth bigint NOT NULL CHECK (depth >= 0),
                context bigint NOT NULL CHECK (context >= 0),
                question text NOT NULL,
                answer text,
                answeredBy text,
                state text NOT NULL CHECK (state IN ('acting', 'waiting', 'answered')),
                detail text NOT NULL,
                PRIMARY KEY (runId, id))
            """,
            """
            CREATE TABLE modelReply (
                key text PRIMARY KEY,
                reply text NOT NULL,
                createdAt timestamptz NOT NULL)
            """,
        ]),
        Migration(identifier: "createWorkItem", statements: [
            """
            CREATE TABLE workItem (
                runId text NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                item bigint NOT NULL CHECK (item >= 0),
                state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'leased', 'done')),
                worker text,
                token bigint NOT NULL DEFAULT 0 CHECK (token >= 0),
                leaseExpiresAt timestamptz,
                PRIMARY KEY (runId, item))
            """,
            "CREATE INDEX workItem_open ON workItem (runId, item) WHERE state <> 'done'",
        ]),
        Migration(identifier: "createPeople", statements: [
            """
            CREATE TABLE account (
                name text PRIMARY KEY CHECK (name <> ''),
                role text NOT NULL CHECK (role IN ('researcher', 'supervisor')),
                passwordHash text,
                invitationHash text UNIQUE,
                invitedBy text,
                createdAt timestamptz NOT NULL)
            """,
            """
            CREATE TABLE accountSession (
                tokenHash text PRIMARY KEY,
                account text NOT NULL REFERENCES account (name) ON DELETE CASCADE,
                csrfToken text NOT NULL,
                createdAt timestamptz NOT NULL,
                expiresAt timestamptz NOT NULL)
            """,
            "CREATE INDEX accountSession_account ON accountSession (account)",
            """
            CREATE TABLE auditEntry (
                sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at timestamptz NOT NULL,
                account text,
                action text NOT NULL,
                runId text,
                node text,
                detail text NOT NULL,
                seconds double precision)
            """,
            "CREATE INDEX auditEntry_runId ON auditEntry (runId, sequence)",
            "CREATE INDEX auditEntry_account ON auditEntry (account, sequence)",
            """
            CREATE TABLE correction (
                runId text NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                node text NOT NULL CHECK (node <> ''),
                version bigint NOT NULL CHECK (version >= 1),
                author text NOT NULL,
                at timestamptz NOT NULL,
                before text,
                after text NOT NULL,
                reason text NOT NULL,
                PRIMARY KEY (runId, node, version))
            """,
        ]),
        Migration(identifier: "addRLHFRunKind", statements: [
            "ALTER TABLE run DROP CONSTRAINT run_kind_check",
            "ALTER TABLE run ADD CONSTRAINT run_kind_check CHECK (kind IN ('ia', 'supervised', 'group', 'hch', 'rlhf'))",
        ]),
        Migration(identifier: "addWorkItemPayload", statements: [
            "ALTER TABLE workItem ADD COLUMN request bytea",
            "ALTER TABLE workItem ADD COLUMN reply bytea",
        ]),
        // What a worker must be able to do to take an item (`WorkItemKind`): every item so far
        // was a main question or, in an IA run, a generation of targets.
        Migration(identifier: "addWorkItemKind", statements: [
            "ALTER TABLE workItem ADD COLUMN kind text NOT NULL DEFAULT 'question' CHECK (kind <> '')",
            "UPDATE workItem w SET kind = 'targets' FROM run r WHERE r.id = w.runId AND r.kind = 'ia'",
        ]),
    ]

    /// Brings the database to the current schema in one transaction, or refuses it.
    ///
    /// - Throws: ``StoreError/foreignDatabase(path:)`` for a database that holds tables but no
    ///   `idaMigration` (left untouched), ``StoreError/newerSchema(path:unknownMigrations:)`` for
    ///   one migrated by a newer ida.
    static func migrate(_ connections: PostgresConnections) throws {
        let path = connections.location.description
        try connections.transaction { connection in
            func rows(_ query: PostgresQuery) throws -> [PostgresRow] { try connections.rows(query, on: connection) }
            _ = try rows("SELECT pg_advisory_xact_lock(\(migrationLock))")
            let marked = try rows("SELECT to_regclass('idaMigration') IS NOT NULL")[0].decode(Bool.self)
            if !marked {
                let tables = try rows(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")[0].decode(Int.self)
                guard tables == 0 else { throw StoreError.foreignDatabase(path: path) }
                _ = try rows("CREATE TABLE idaMigration (identifier text PRIMARY KEY, appliedAt timestamptz NOT NULL DEFAULT now())")
            }
            let applied = try rows("SELECT identifier FROM idaMigration ORDER BY appliedAt, identifier").map { try $0.decode(String.self) }
            let known = Set(migrations.map(\.identifier))
            let unknown = applied.filter { !known.contains($0) }
            guard unknown.isEmpty else { throw StoreError.newerSchema(path: path, unknownMigrations: unknown) }
            for migration in migrations where !applied.contains(migration.identifier) {
                for statement in migration.statements { _ = try rows(PostgresQuery(unsafeSQL: statement)) }
                _ = try rows("INSERT INTO idaMigration (identifier) VALUES (\(migration.identifier))")
            }
        }
    }
}
