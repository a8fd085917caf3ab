import GRDB

// MARK: - Counters

extension SQLiteStore {
    /// Stores run `id`'s counters, replacing any stored before.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    /// - Precondition: every count ≥ 0; each accuracy, when given, in 0...1.
    public func saveCounters(_ counters: RunCounters, run id: String) throws {
        StoreRequirements.validate(counters)
        try write(run: id) { db in try Self.insert(counters, run: id, in: db) }
    }

    /// Run `id`'s counters, or nil when none were stored (a run that has not reached its first
    /// checkpoint, or one stored before the counters existed).
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    public func counters(run id: String) throws -> RunCounters? {
        try read(run: id) { db in
            try Row.fetchOne(db, sql: "SELECT * FROM runCounters WHERE runId = ?", arguments: [id]).map { row in
                let supervisor: String? = row["supervisor"]
                var counts: [String: Int] = [:]
                for count in try Row.fetchAll(db, sql: "SELECT name, value FROM runCount WHERE runId = ?", arguments: [id]) {
                    counts[count["name"]] = count["value"]
                }
                return RunCounters(
                    supervisor: supervisor.flatMap(RunCounters.Supervisor.init(rawValue:)), counts: counts,
                    askerSubquestionAccuracy: row["askerSubquestionAccuracy"], askerAnswerAccuracy: row["askerAnswerAccuracy"])
            }
        }
    }

    static func insert(_ counters: RunCounters, run id: String, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO runCounters (runId, supervisor, askerSubquestionAccuracy, askerAnswerAccuracy)
                VALUES (?, ?, ?, ?)
                """,
            arguments: [id, counters.supervisor?.rawValue, counters.askerSubquestionAccuracy, counters.askerAnswerAccuracy])
        try db.execute(sql: "DELETE FROM runCount WHERE runId = ?", arguments: [id])
        for (name, value) in counters.counts.sorted(by: { $0.key < $1.key }) {
            try db.execute(
                sql: "INSERT INTO runCount (runId, name, value) VALUES (?, ?, ?)", arguments: [id, name, value])
        }
    }
}
