import Foundation
import PostgresNIO
import Store

// MARK: - Runs

extension PostgresStore {
    static let runColumns =
        "id, parentId, kind, task, preset, schedule, configuration, seed, status, createdAt, updatedAt, wallSeconds, report"

    /// Stores a new run with status `running` under a drawn id (drawn again while taken).
    @discardableResult
    public func createRun(_ new: NewRun) throws -> RunRecord {
        StoreRequirements.validate(new)
        return try transaction { session in
            if let parentID = new.parentID { try session.requireRun(parentID) }
            var generator = SystemRandomNumberGenerator()
            while true {
                let id = RunIdentifier.make(createdAt: new.createdAt, using: &generator)
                let record = RunRecord(
                    id: id, parentID: new.parentID, kind: new.kind, task: new.task, preset: new.preset,
                    schedule: new.schedule, configuration: new.configuration, seed: new.seed,
                    status: .running, createdAt: new.createdAt, updatedAt: new.createdAt,
                    wallSeconds: 0, report: nil)
                var insert = Self.insert(record)
                insert.sql += " ON CONFLICT (id) DO NOTHING RETURNING id"
                if try !session.rows(insert).isEmpty { return record }
            }
        }
    }

    /// Stores `archive` under its run's own id, in one transaction.
    public func importRun(_ archive: RunArchive) throws {
        StoreRequirements.validate(archive)
        let id = archive.run.id
        try transaction { session in
            guard try !session.runExists(id) else { throw StoreError.runExists(id: id) }
            if let parentID = archive.run.parentID { try session.requireRun(parentID) }
            try session.execute(Self.insert(archive.run))
            try session.executeAll(
                Self.inserts(archive.metrics, run: id) + Self.inserts(archive.evaluations, run: id)
                    + Self.inserts(archive.traces, run: id) + (archive.counters.map { Self.inserts($0, run: id) } ?? [])
                    + Self.inserts(archive.workspaces, run: id) + Self.inserts(archive.corrections, run: id)
                    + Self.inserts(archive.audit, run: id))
            for checkpoint in archive.checkpoints { try insert(checkpoint, run: id, in: session) }
        }
    }

    static func inserts(_ corrections: [CorrectionRecord], run id: String) -> [PostgresQuery] {
        corrections.map { correction in
            """
            INSERT INTO correction (runId, node, version, author, at, before, after, reason)
            VALUES (\(id), \(correction.node), \(correction.version), \(correction.author), \(correction.at),
                    \(correction.before), \(correction.after), \(correction.reason))
            """
        }
    }

    static func inserts(_ entries: [AuditEntry], run id: String) -> [PostgresQuery] {
        entries.map { entry in
            """
            INSERT INTO auditEntry (at, account, action, runId, node, detail, seconds)
            VALUES (\(entry.at), \(entry.user), \(entry.action.rawValue), \(id), \(entry.node), \(entry.detail), \(entry.seconds))
            """
        }
    }

    static func insert(_ record: RunRecord) -> PostgresQuery {
        """
        INSERT INTO run (\(unescaped: Self.runColumns))
        VALUES (\(record.id), \(record.parentID), \(record.kind.rawValue), \(record.task), \(record.preset),
                \(record.schedule), \(record.configuration), \(Int64(bitPattern: record.seed)),
                \(record.status.rawValue), \(record.createdAt), \(record.updatedAt), \(record.wallSeconds),
                \(record.report))
        """
    }

    public func run(id: String) throws -> RunRecord {
        let rows = try connections.rows("SELECT \(unescaped: Self.runColumns) FROM run WHERE id = \(id)")
        guard let row = rows.first else { throw StoreError.runNotFound(id: id) }
        return try Self.runRecord(from: row)
    }

    /// Every stored run, newest first (by `createdAt`, then id).
    public func runs() throws -> [RunRecord] {
        try connections.rows(
            "SELECT \(unescaped: Self.runColumns) FROM run ORDER BY createdAt DESC, id COLLATE \"C\" DESC"
        ).map(Self.runRecord(from:))
    }

    /// The runs grouped under run `id`, oldest first (by `createdAt`, then id).
    public func children(of id: String) throws -> [RunRecord] {
        try read(run: id) { session in
            try session.rows(
                "SELECT \(unescaped: Self.runColumns) FROM run WHERE parentId = \(id) ORDER BY createdAt, id COLLATE \"C\""
            ).map(Self.runRecord(from:))
        }
    }

    @discardableResult
    public func updateRun(
        _ id: String, status: RunStatus, updatedAt: Date, wallSeconds: Double?, report: String?
    ) throws -> RunRecord {
        StoreRequirements.validateUpdate(wallSeconds: wallSeconds, report: report)
        let rows = try connections.rows(
            """
            UPDATE run SET status = \(status.rawValue), updatedAt = \(updatedAt),
                           wallSeconds = coalesce(\(wallSeconds), wallSeconds), report = coalesce(\(report), report)
            WHERE id = \(id) RETURNING \(unescaped: Self.runColumns)
            """)
        guard let row = rows.first else { throw StoreError.runNotFound(id: id) }
        return try Self.runRecord(from: row)
    }

    /// Sets a running run's `updatedAt` and wall time and leaves its status alone (see
    /// ``SQLiteStore/recordProgress(_:updatedAt:wallSeconds:)``).
    public func recordProgress(_ id: String, updatedAt: Date, wallSeconds: Double) throws {
        StoreRequirements.validateProgress(wallSeconds: wallSeconds)
        let rows = try connections.rows(
            "UPDATE run SET updatedAt = \(updatedAt), wallSeconds = \(wallSeconds) WHERE id = \(id) RETURNING id")
        guard !rows.isEmpty else { throw StoreError.runNotFound(id: id) }
    }

    /// Deletes a run with everything recorded for it, and the runs grouped under it.
    public func deleteRun(_ id: String) throws {
        let rows = try connections.rows("DELETE FROM run WHERE id = \(id) RETURNING id")
        guard !rows.isEmpty else { throw StoreError.runNotFound(id: id) }
    }

    static func runRecord(from row: PostgresRow) throws -> RunRecord {
        let (id, parentID, kind, task, preset, schedule, configuration, seed, status, createdAt, updatedAt, wallSeconds, report) =
            try row.decode(
                (String, String?, String, String, String, String, String, Int64, String, Date, Date, Double, String?).self)
        guard let runKind = RunKind(rawValue: kind), let runStatus = RunStatus(rawValue: status) else {
            // The schema's CHECK constraints make this unreachable for ida's own databases.
            throw PostgresStoreError.corrupt("run has unknown kind \(kind) or status \(status)")
        }
        return RunRecord(
            id: id, parentID: parentID, kind: runKind, task: task, preset: preset, schedule: schedule,
            configuration: configuration, seed: UInt64(bitPattern: seed), status: runStatus, createdAt: createdAt,
            updatedAt: updatedAt, wallSeconds: wallSeconds, report: report)
    }
}
