import Foundation
import GRDB

// MARK: - Amplification trees

extension SQLiteStore {
    /// Writes `records` for run `id` in one transaction, replacing any stored under the same ids
    /// (a tree is written as it grows: a workspace is written again when it changes), removes
    /// those with ids `removed`, and, when given, writes the run's `report` (a tree's progress)
    /// and `updatedAt` in the same transaction.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    /// - Precondition: every id is non-empty, depths and contexts are >= 0, and no text has a NUL
    ///   character.
    public func recordWorkspaces(
        _ records: [WorkspaceRecord], removing removed: [String], run id: String, report: String?, updatedAt: Date
    ) throws {
        StoreRequirements.validate(records, report: report)
        try write(run: id) { db in
            try Self.insert(records, run: id, in: db)
            for workspace in removed {
                try db.execute(sql: "DELETE FROM workspace WHERE runId = ? AND id = ?", arguments: [id, workspace])
            }
            if let report {
                try db.execute(
                    sql: "UPDATE run SET report = ?, updatedAt = ? WHERE id = ?", arguments: [report, updatedAt, id])
            }
        }
    }

    /// Upserts `records` into run `id`'s tree.
    static func insert(_ records: [WorkspaceRecord], run id: String, in db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO workspace (runId, id, parentId, depth, context, question, answer, answeredBy, state, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (runId, id) DO UPDATE SET
                    parentId = excluded.parentId, depth = excluded.depth, context = excluded.context,
                    question = excluded.question, answer = excluded.answer, answeredBy = excluded.answeredBy,
                    state = excluded.state, detail = excluded.detail
                """)
        for record in records {
            try statement.execute(arguments: [
                id, record.id, record.parentID, record.depth, record.context, record.question, record.answer,
                record.answeredBy, record.state.rawValue, record.detail,
            ])
        }
    }

    /// Run `id`'s workspaces in the tree's order (a parent before its children, siblings as
    /// asked): all of them, or the one with id `root` and those below it.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    public func workspaces(run id: String, within root: String?) throws -> [WorkspaceRecord] {
        let rows = try read(run: id) { db in
            if let root {
                try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM workspace WHERE runId = ? AND (id = ? OR substr(id, 1, ?) = ?)",
                    arguments: [id, root, root.count + 1, root + "."])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM workspace WHERE runId = ?", arguments: [id])
            }
        }
        let records = try rows.map { row -> WorkspaceRecord in
            let state: String = row["state"]
            guard let workspaceState = WorkspaceState(rawValue: state) else {
                // The schema's CHECK constraint makes this unreachable for ida's own files.
                throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "workspace has unknown state \(state)")
            }
            return WorkspaceRecord(
                id: row["id"], parentID: row["parentId"], depth: row["depth"], context: row["context"],
                question: row["question"], answer: row["answer"], answeredBy: row["answeredBy"],
                state: workspaceState, detail: row["detail"])
        }
        return StoreRequirements.treeOrdered(records)
    }
}
