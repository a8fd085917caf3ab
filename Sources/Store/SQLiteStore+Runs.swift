import Foundation
import GRDB

// MARK: - Runs

extension SQLiteStore {
    /// Stores a new run with status `running` and returns it with its id.
    ///
    /// The id is `r-YYYYMMDD-xxxxxxxx` (see `RunIdentifier`): the UTC day of `createdAt` and eight
    /// random hex digits, drawn again while taken. `updatedAt` starts equal to `createdAt`,
    /// `wallSeconds` at 0.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)`` when `parentID` names no run.
    /// - Precondition: no text field has a NUL character (SQLite's C API would cut it off).
    @discardableResult
    public func createRun(_ new: NewRun) throws -> RunRecord {
        StoreRequirements.validate(new)
        return try pool.write { db in
            if let parentID = new.parentID { try Self.requireRun(parentID, in: db) }
            var generator = SystemRandomNumberGenerator()
            var id = RunIdentifier.make(createdAt: new.createdAt, using: &generator)
            while try Self.runExists(id, in: db) { id = RunIdentifier.make(createdAt: new.createdAt, using: &generator) }
            let record = RunRecord(
                id: id, parentID: new.parentID, kind: new.kind, task: new.task, preset: new.preset,
                schedule: new.schedule, configuration: new.configuration, seed: new.seed,
                status: .running, createdAt: new.createdAt, updatedAt: new.createdAt,
                wallSeconds: 0, report: nil)
            try Self.insert(record, in: db)
            return record
        }
    }

    /// Stores `archive` under its run's own id, in one transaction.
    ///
    /// - Throws: ``StoreError/runExists(id:)``, ``StoreError/runNotFound(id:)`` for a missing
    ///   parent.
    public func importRun(_ archive: RunArchive) throws {
        StoreRequirements.validate(archive)
        let id = archive.run.id
        try pool.write { db in
            guard try !Self.runExists(id, in: db) else { throw StoreError.runExists(id: id) }
            if let parentID = archive.run.parentID { try Self.requireRun(parentID, in: db) }
            try Self.insert(archive.run, in: db)
            try Self.insert(archive.metrics, run: id, in: db)
            try Self.insert(archive.evaluations, run: id, in: db)
            try Self.insert(archive.traces, run: id, in: db)
            for checkpoint in archive.checkpoints { try insert(checkpoint, run: id, in: db) }
            if let counters = archive.counters { try Self.insert(counters, run: id, in: db) }
            try Self.insert(archive.workspaces, run: id, in: db)
            for correction in archive.corrections {
                try db.execute(
                    sql: """
                        INSERT INTO correction (runId, node, version, author, at, before, after, reason)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id, correction.node, correction.version, correction.author, correction.at, correction.before,
                        correction.after, correction.reason,
                    ])
            }
            for entry in archive.audit {
                try db.execute(
                    sql: "INSERT INTO auditEntry (at, account, action, runId, node, detail, seconds) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [entry.at, entry.user, entry.action.rawValue, id, entry.node, entry.detail, entry.seconds])
            }
        }
    }

    private static func insert(_ record: RunRecord, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO run (id, parentId, kind, task, preset, schedule, configuration, seed,
                                 status, createdAt, updatedAt, wallSeconds, report)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.id, record.parentID, record.kind.rawValue, record.task, record.preset,
                record.schedule, record.configuration, Int64(bitPattern: record.seed),
                record.status.rawValue, record.createdAt, record.updatedAt,
                record.wallSeconds, record.report,
            ])
    }

    /// The run with this id.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    public func run(id: String) throws -> RunRecord {
        let record = try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id])
                .map(Self.runRecord(from:))
        }
        guard let record else { throw StoreError.runNotFound(id: id) }
        return record
    }

    /// Every stored run, newest first (by `createdAt`, then id).
    public func runs() throws -> [RunRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY createdAt DESC, id DESC")
                .map(Self.runRecord(from:))
        }
    }

    /// The runs grouped under run `id`, oldest first (by `createdAt`, then id).
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    public func children(of id: String) throws -> [RunRecord] {
        try read(run: id) { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM run WHERE parentId = ? ORDER BY createdAt, id",
                arguments: [id]
            ).map(Self.runRecord(from:))
        }
    }

    /// Sets a run's status and `updatedAt`, and its wall time and report when given.
    ///
    /// - Parameters:
    ///   - wallSeconds: the training wall time so far; nil keeps the stored value.
    ///   - report: the final report as JSON text; nil keeps the stored value.
    /// - Throws: ``StoreError/runNotFound(id:)``.
    /// - Precondition: `wallSeconds`, when given, is finite and not negative; `report` has no
    ///   NUL character.
    @discardableResult
    public func updateRun(
        _ id: String, status: RunStatus, updatedAt: Date, wallSeconds: Double?, report: String?
    ) throws -> RunRecord {
        StoreRequirements.validateUpdate(wallSeconds: wallSeconds, report: report)
        return try write(run: id) { db in
            try db.execute(
                sql: """
                    UPDATE run SET status = ?, updatedAt = ?,
                                   wallSeconds = coalesce(?, wallSeconds), report = coalesce(?, report)
                    WHERE id = ?
                    """,
                arguments: [status.rawValue, updatedAt, wallSeconds, report, id])
            let row = try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id])
            guard let row else { throw StoreError.runNotFound(id: id) }
            return try Self.runRecord(from: row)
        }
    }

    /// Sets a running run's `updatedAt` and wall time and leaves its status alone, so that the
    /// progress a training loop records never undoes an interruption marked meanwhile by another
    /// thread (a `running` written back after ctrl-C marked the run `interrupted`).
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    /// - Precondition: `wallSeconds` is finite and not negative.
    public func recordProgress(_ id: String, updatedAt: Date, wallSeconds: Double) throws {
        StoreRequirements.validateProgress(wallSeconds: wallSeconds)
        try write(run: id) { db in
            try db.execute(
                sql: "UPDATE run SET updatedAt = ?, wallSeconds = ? WHERE id = ?",
                arguments: [updatedAt, wallSeconds, id])
        }
    }

    /// Deletes a run with everything recorded for it, and the runs grouped under it.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    public func deleteRun(_ id: String) throws {
        try write(run: id) { db in
            try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [id])
        }
    }

    static func runRecord(from row: Row) throws -> RunRecord {
        let kind: String = row["kind"]
        let status: String = row["status"]
        guard let runKind = RunKind(rawValue: kind), let runStatus = RunStatus(rawValue: status)
        else {
            // The schema's CHECK constraints make this unreachable for ida's own files.
            throw DatabaseError(
                resultCode: .SQLITE_CORRUPT,
                message: "run has unknown kind \(kind) or status \(status)")
        }
        return RunRecord(
            id: row["id"], parentID: row["parentId"], kind: runKind, task: row["task"],
            preset: row["preset"], schedule: row["schedule"], configuration: row["configuration"],
            seed: UInt64(bitPattern: row["seed"] as Int64), status: runStatus,
            createdAt: row["createdAt"], updatedAt: row["updatedAt"],
            wallSeconds: row["wallSeconds"], report: row["report"])
    }
}
