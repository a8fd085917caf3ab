import GRDB

// MARK: - Per-depth evaluations

extension SQLiteStore {
    /// Records per-depth evaluation results of run `id` in one transaction.
    ///
    /// A record for a (step, model, depth) already stored replaces the old one.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    /// - Precondition: step and depth are >= 0, the model name is non-empty without NUL, and
    ///   `0 <= correct <= count`.
    public func recordEvaluations(_ records: [EvaluationRecord], run id: String) throws {
        StoreRequirements.validate(records)
        try write(run: id) { db in try Self.insert(records, run: id, in: db) }
    }

    /// Run `id`'s evaluation records, by step, model and depth; only `model`'s when given.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    public func evaluations(run id: String, model: EvaluatedModel?) throws
        -> [EvaluationRecord]
    {
        try read(run: id) { db in
            let rows =
                if let model {
                    try Row.fetchAll(
                        db,
                        sql:
                            "SELECT * FROM evaluation WHERE runId = ? AND model = ? ORDER BY step, model, depth",
                        arguments: [id, model.rawValue])
                } else {
                    try Row.fetchAll(
                        db,
                        sql: "SELECT * FROM evaluation WHERE runId = ? ORDER BY step, model, depth",
                        arguments: [id])
                }
            return rows.map { row in
                EvaluationRecord(
                    step: row["step"], model: EvaluatedModel(rawValue: row["model"]),
                    depth: row["depth"], count: row["count"], correct: row["correct"])
            }
        }
    }

    /// The overall accuracy of `model` in run `id` at each evaluated step: `Σ correct / Σ count`
    /// over the depths, as a series named after the model.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    public func overallAccuracy(run id: String, model: EvaluatedModel) throws -> [MetricSample] {
        try read(run: id) { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT step, sum(correct) AS correct, sum(count) AS count FROM evaluation
                    WHERE runId = ? AND model = ? GROUP BY step ORDER BY step
                    """,
                arguments: [id, model.rawValue]
            ).map { row in
                let count: Int = row["count"]
                let correct: Int = row["correct"]
                let accuracy = count == 0 ? 0 : Double(correct) / Double(count)
                return MetricSample(step: row["step"], name: model.rawValue, value: accuracy)
            }
        }
    }

    static func insert(_ records: [EvaluationRecord], run id: String, in db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO evaluation (runId, step, model, depth, count, correct)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
        for record in records {
            try statement.execute(arguments: [
                id, record.step, record.model.rawValue, record.depth, record.count, record.correct,
            ])
        }
    }
}
