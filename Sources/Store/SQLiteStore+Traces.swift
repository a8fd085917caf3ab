import GRDB

// MARK: - Sampled traces

extension SQLiteStore {
    /// Records sampled traces of run `id` in one transaction, after those already stored.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    /// - Precondition: every step is >= 0, and no text has a NUL character.
    public func recordTraces(_ traces: [TraceRecord], run id: String) throws {
        StoreRequirements.validate(traces)
        try write(run: id) { db in try Self.insert(traces, run: id, in: db) }
    }

    /// Run `id`'s traces in the order they were recorded; only those of `step` when given.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    public func traces(run id: String, step: Int?) throws -> [TraceRecord] {
        try read(run: id) { db in
            let rows =
                if let step {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM trace WHERE runId = ? AND step = ? ORDER BY id",
                        arguments: [id, step])
                } else {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM trace WHERE runId = ? ORDER BY id", arguments: [id])
                }
            return rows.map { row in
                TraceRecord(
                    step: row["step"], task: row["task"], question: row["question"],
                    trace: row["trace"])
            }
        }
    }

    static func insert(_ traces: [TraceRecord], run id: String, in db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO trace (runId, step, task, question, trace) VALUES (?, ?, ?, ?, ?)")
        for trace in traces {
            try statement.execute(arguments: [
                id, trace.step, trace.task, trace.question, trace.trace,
            ])
        }
    }
}
