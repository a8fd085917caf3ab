import Foundation
import PostgresNIO
import Store

// MARK: - Amplification trees and the response cache

extension PostgresStore {
    public func recordWorkspaces(
        _ records: [WorkspaceRecord], removing removed: [String], run id: String, report: String?, updatedAt: Date
    ) throws {
        StoreRequirements.validate(records, report: report)
        try write(run: id) { session in
            var queries = Self.inserts(records, run: id)
            for workspace in removed {
                queries.append("DELETE FROM workspace WHERE runId = \(id) AND id = \(workspace)")
            }
            if let report {
                queries.append("UPDATE run SET report = \(report), updatedAt = \(updatedAt) WHERE id = \(id)")
            }
            try session.executeAll(queries)
        }
    }

    /// Upserts of `records` into run `id`'s tree.
    static func inserts(_ records: [WorkspaceRecord], run id: String) -> [PostgresQuery] {
        records.map { record in
            """
            INSERT INTO workspace (runId, id, parentId, depth, context, question, answer, answeredBy, state, detail)
            VALUES (\(id), \(record.id), \(record.parentID), \(record.depth), \(record.context), \(record.question),
                    \(record.answer), \(record.answeredBy), \(record.state.rawValue), \(record.detail))
            ON CONFLICT (runId, id) DO UPDATE SET
                parentId = excluded.parentId, depth = excluded.depth, context = excluded.context,
                question = excluded.question, answer = excluded.answer, answeredBy = excluded.answeredBy,
                state = excluded.state, detail = excluded.detail
            """
        }
    }

    public func workspaces(run id: String, within root: String?) throws -> [WorkspaceRecord] {
        let rows = try read(run: id) { session in
            if let root {
                try session.rows(
                    """
                    SELECT id, parentId, depth, context, question, answer, answeredBy, state, detail FROM workspace
                    WHERE runId = \(id) AND (id = \(root) OR starts_with(id, \(root + ".")))
                    """)
            } else {
                try session.rows(
                    """
                    SELECT id, parentId, depth, context, question, answer, answeredBy, state, detail FROM workspace
                    WHERE runId = \(id)
                    """)
            }
        }
        let records = try rows.map { row -> WorkspaceRecord in
            let (workspaceID, parentID, depth, context, question, answer, answeredBy, state, detail) =
                try row.decode((String, String?, Int, Int, String, String?, String?, String, String).self)
            guard let workspaceState = WorkspaceState(rawValue: state) else {
                throw PostgresStoreError.corrupt("workspace has unknown state \(state)")
            }
            return WorkspaceRecord(
                id: workspaceID, parentID: parentID, depth: depth, context: context, question: question, answer: answer,
                answeredBy: answeredBy, state: workspaceState, detail: detail)
        }
        return StoreRequirements.treeOrdered(records)
    }

    public func cachedModelReply(key: String) throws -> String? {
        try connections.rows("SELECT reply FROM modelReply WHERE key = \(key)").first?.decode(String.self)
    }

    public func cacheModelReply(_ reply: String, key: String, createdAt: Date) throws {
        StoreRequirements.validateModelReply(reply, key: key)
        _ = try connections.rows(
            "INSERT INTO modelReply (key, reply, createdAt) VALUES (\(key), \(reply), \(createdAt)) ON CONFLICT (key) DO NOTHING")
    }
}
