import GRDB

// MARK: - Metric series

extension SQLiteStore {
    /// Appends metric samples to run `id` in one transaction.
    ///
    /// A sample for a (name, step) already stored replaces the old value, so a run resumed from
    /// a checkpoint may write the steps after it again without duplicating them.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    /// - Precondition: every step is >= 0 and every name is non-empty, without NUL characters.
    public func appendMetrics(_ samples: [MetricSample], run id: String) throws {
        StoreRequirements.validate(samples)
        try write(run: id) { db in try Self.insert(samples, run: id, in: db) }
    }

    /// The series `name` of run `id`, by increasing step (empty when never written).
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    public func metricSeries(_ name: String, run id: String) throws -> [MetricSample] {
        try read(run: id) { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT name, step, value FROM metric WHERE runId = ? AND name = ? ORDER BY step",
                arguments: [id, name]
            ).map(Self.metricSample(from:))
        }
    }

    /// Every series of run `id`, keyed by name, each by increasing step.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    public func metricSeries(run id: String) throws -> [String: [MetricSample]] {
        let samples = try read(run: id) { db in
            try Row.fetchAll(
                db, sql: "SELECT name, step, value FROM metric WHERE runId = ? ORDER BY name, step",
                arguments: [id]
            ).map(Self.metricSample(from:))
        }
        return Dictionary(grouping: samples, by: \.name)
    }

    /// The names of run `id`'s series, sorted.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    public func metricNames(run id: String) throws -> [String] {
        try read(run: id) { db in
            try String.fetchAll(
                db, sql: "SELECT DISTINCT name FROM metric WHERE runId = ? ORDER BY name",
                arguments: [id])
        }
    }

    /// The largest step with a metric in run `id`, or nil when it has none.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    public func lastMetricStep(run id: String) throws -> Int? {
        try read(run: id) { db in
            try Int.fetchOne(
                db, sql: "SELECT max(step) FROM metric WHERE runId = ?", arguments: [id])
        }
    }

    static func insert(_ samples: [MetricSample], run id: String, in db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO metric (runId, name, step, value) VALUES (?, ?, ?, ?)")
        for sample in samples {
            // SQLite turns NaN into NULL; store it as NULL explicitly, and read NULL back as NaN.
            let value: Double? = sample.value.isNaN ? nil : sample.value
            try statement.execute(arguments: [id, sample.name, sample.step, value])
        }
    }

    private static func metricSample(from row: Row) -> MetricSample {
        let value: Double? = row["value"]
        return MetricSample(step: row["step"], name: row["name"], value: value ?? .nan)
    }
}
