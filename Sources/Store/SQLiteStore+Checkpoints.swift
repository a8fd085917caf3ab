import Foundation
import GRDB

// MARK: - Checkpoints

extension SQLiteStore {
    /// Saves a checkpoint of run `id` and prunes the run to its newest
    /// ``StoreConfiguration/checkpointsKept`` checkpoints, in one transaction.
    ///
    /// A checkpoint at a step already stored replaces it.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    /// - Precondition: `step >= 0`, `formatVersion >= 1`, and `trainerState` has no NUL
    ///   character.
    public func saveCheckpoint(_ checkpoint: CheckpointRecord, run id: String) throws {
        StoreRequirements.validate(checkpoint)
        try write(run: id) { db in
            try insert(checkpoint, run: id, in: db)
        }
    }

    /// The checkpoint of run `id` with the largest step, or nil when it has none: what
    /// `--resume` starts from.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    public func latestCheckpoint(run id: String) throws -> CheckpointRecord? {
        try read(run: id) { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM checkpoint WHERE runId = ? ORDER BY step DESC LIMIT 1",
                arguments: [id]
            ).map(Self.checkpointRecord(from:))
        }
    }

    /// The checkpoint of run `id` at `step`.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``, ``StoreError/checkpointNotFound(runID:step:)``.
    public func checkpoint(run id: String, step: Int) throws -> CheckpointRecord {
        let record = try read(run: id) { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM checkpoint WHERE runId = ? AND step = ?",
                arguments: [id, step]
            ).map(Self.checkpointRecord(from:))
        }
        guard let record else { throw StoreError.checkpointNotFound(runID: id, step: step) }
        return record
    }

    /// The checkpoints of run `id` without their payloads, by increasing step.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    public func checkpoints(run id: String) throws -> [CheckpointSummary] {
        try read(run: id) { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT step, formatVersion, length(payload) AS byteCount, createdAt
                    FROM checkpoint WHERE runId = ? ORDER BY step
                    """,
                arguments: [id]
            ).map { row in
                CheckpointSummary(
                    step: row["step"], formatVersion: row["formatVersion"],
                    byteCount: row["byteCount"], createdAt: row["createdAt"])
            }
        }
    }

    func insert(_ checkpoint: CheckpointRecord, run id: String, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO checkpoint (runId, step, formatVersion, payload, trainerState, createdAt)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, checkpoint.step, checkpoint.formatVersion, Data(checkpoint.payload),
                checkpoint.trainerState, checkpoint.createdAt,
            ])
        try db.execute(
            sql: """
                DELETE FROM checkpoint WHERE runId = ? AND step NOT IN (
                    SELECT step FROM checkpoint WHERE runId = ? ORDER BY step DESC LIMIT ?)
                """,
            arguments: [id, id, configuration.checkpointsKept])
    }

    private static func checkpointRecord(from row: Row) -> CheckpointRecord {
        let payload: Data = row["payload"]
        return CheckpointRecord(
            step: row["step"], formatVersion: row["formatVersion"], payload: [UInt8](payload),
            trainerState: row["trainerState"], createdAt: row["createdAt"])
    }
}
