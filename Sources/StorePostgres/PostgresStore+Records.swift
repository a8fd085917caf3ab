import Foundation
import PostgresNIO
import Store

// MARK: - What a training run records

extension PostgresStore {
    public func commit(_ batch: RunBatch, run id: String) throws {
        StoreRequirements.validate(batch)
        try write(run: id) { session in
            try session.executeAll(
                Self.inserts(batch.metrics, run: id) + Self.inserts(batch.evaluations, run: id)
                    + Self.inserts(batch.traces, run: id))
            if let checkpoint = batch.checkpoint { try insert(checkpoint, run: id, in: session) }
            if let counters = batch.counters { try session.executeAll(Self.inserts(counters, run: id)) }
        }
    }

    // MARK: Metric series

    /// A sample for a (name, step) already stored replaces the old value. NaN is stored as NaN.
    public func appendMetrics(_ samples: [MetricSample], run id: String) throws {
        StoreRequirements.validate(samples)
        try write(run: id) { try $0.executeAll(Self.inserts(samples, run: id)) }
    }

    public func metricSeries(_ name: String, run id: String) throws -> [MetricSample] {
        try read(run: id) { session in
            try session.rows("SELECT name, step, value FROM metric WHERE runId = \(id) AND name = \(name) ORDER BY step")
                .map(Self.metricSample(from:))
        }
    }

    public func metricSeries(run id: String) throws -> [String: [MetricSample]] {
        let samples = try read(run: id) { session in
            try session.rows("SELECT name, step, value FROM metric WHERE runId = \(id) ORDER BY name COLLATE \"C\", step")
                .map(Self.metricSample(from:))
        }
        return Dictionary(grouping: samples, by: \.name)
    }

    public func metricNames(run id: String) throws -> [String] {
        try read(run: id) { session in
            try session.rows("SELECT DISTINCT name COLLATE \"C\" FROM metric WHERE runId = \(id) ORDER BY 1")
                .map { try $0.decode(String.self) }
        }
    }

    public func lastMetricStep(run id: String) throws -> Int? {
        try read(run: id) { session in
            try session.rows("SELECT max(step) FROM metric WHERE runId = \(id)")[0].decode(Int?.self)
        }
    }

    static func inserts(_ samples: [MetricSample], run id: String) -> [PostgresQuery] {
        samples.map { sample in
            """
            INSERT INTO metric (runId, name, step, value) VALUES (\(id), \(sample.name), \(sample.step), \(sample.value))
            ON CONFLICT (runId, name, step) DO UPDATE SET value = excluded.value
            """
        }
    }

    private static func metricSample(from row: PostgresRow) throws -> MetricSample {
        let (name, step, value) = try row.decode((String, Int, Double).self)
        return MetricSample(step: step, name: name, value: value)
    }

    // MARK: Checkpoints

    public func saveCheckpoint(_ checkpoint: CheckpointRecord, run id: String) throws {
        StoreRequirements.validate(checkpoint)
        try write(run: id) { try insert(checkpoint, run: id, in: $0) }
    }

    public func latestCheckpoint(run id: String) throws -> CheckpointRecord? {
        try read(run: id) { session in
            try session.rows(
                """
                SELECT step, formatVersion, payload, trainerState, createdAt FROM checkpoint
                WHERE runId = \(id) ORDER BY step DESC LIMIT 1
                """
            ).first.map(Self.checkpointRecord(from:))
        }
    }

    public func checkpoint(run id: String, step: Int) throws -> CheckpointRecord {
        let record = try read(run: id) { session in
            try session.rows(
                """
                SELECT step, formatVersion, payload, trainerState, createdAt FROM checkpoint
                WHERE runId = \(id) AND step = \(step)
                """
            ).first.map(Self.checkpointRecord(from:))
        }
        guard let record else { throw StoreError.checkpointNotFound(runID: id, step: step) }
        return record
    }

    public func checkpoints(run id: String) throws -> [CheckpointSummary] {
        try read(run: id) { session in
            try session.rows(
                """
                SELECT step, formatVersion, octet_length(payload)::bigint, createdAt FROM checkpoint
                WHERE runId = \(id) ORDER BY step
                """
            ).map { row in
                let (step, formatVersion, byteCount, createdAt) = try row.decode((Int, Int, Int, Date).self)
                return CheckpointSummary(step: step, formatVersion: formatVersion, byteCount: byteCount, createdAt: createdAt)
            }
        }
    }

    /// Saves `checkpoint` (replacing one at its step) and prunes the run to its newest
    /// ``StoreConfiguration/checkpointsKept``.
    func insert(_ checkpoint: CheckpointRecord, run id: String, in session: Session) throws {
        try session.executeAll([
            """
            INSERT INTO checkpoint (runId, step, formatVersion, payload, trainerState, createdAt)
            VALUES (\(id), \(checkpoint.step), \(checkpoint.formatVersion), \(Data(checkpoint.payload)),
                    \(checkpoint.trainerState), \(checkpoint.createdAt))
            ON CONFLICT (runId, step) DO UPDATE SET formatVersion = excluded.formatVersion, payload = excluded.payload,
                trainerState = excluded.trainerState, createdAt = excluded.createdAt
            """,
            """
            DELETE FROM checkpoint WHERE runId = \(id) AND step NOT IN (
                SELECT step FROM checkpoint WHERE runId = \(id) ORDER BY step DESC LIMIT \(configuration.checkpointsKept))
            """,
        ])
    }

    private static func checkpointRecord(from row: PostgresRow) throws -> CheckpointRecord {
        let (step, formatVersion, payload, trainerState, createdAt) = try row.decode((Int, Int, Data, String, Date).self)
        return CheckpointRecord(
            step: step, formatVersion: formatVersion, payload: [UInt8](payload), trainerState: trainerState,
            createdAt: createdAt)
    }

    // MARK: Counters

    public func saveCounters(_ counters: RunCounters, run id: String) throws {
        StoreRequirements.validate(counters)
        try write(run: id) { try $0.executeAll(Self.inserts(counters, run: id)) }
    }

    public func counters(run id: String) throws -> RunCounters? {
        try read(run: id) { session in
            guard
                let row = try session.rows(
                    """
                    SELECT supervisor, askerSubquestionAccuracy, askerAnswerAccuracy FROM runCounters WHERE runId = \(id)
                    """
                ).first
            else { return nil }
            let (supervisor, subquestionAccuracy, answerAccuracy) = try row.decode((String?, Double?, Double?).self)
            var counts: [String: Int] = [:]
            for count in try session.rows("SELECT name, value FROM runCount WHERE runId = \(id)") {
                let (name, value) = try count.decode((String, Int).self)
                counts[name] = value
            }
            return RunCounters(
                supervisor: supervisor.flatMap(RunCounters.Supervisor.init(rawValue:)), counts: counts,
                askerSubquestionAccuracy: subquestionAccuracy, askerAnswerAccuracy: answerAccuracy)
        }
    }

    static func inserts(_ counters: RunCounters, run id: String) -> [PostgresQuery] {
        [
            """
            INSERT INTO runCounters (runId, supervisor, askerSubquestionAccuracy, askerAnswerAccuracy)
            VALUES (\(id), \(counters.supervisor?.rawValue), \(counters.askerSubquestionAccuracy),
                    \(counters.askerAnswerAccuracy))
            ON CONFLICT (runId) DO UPDATE SET supervisor = excluded.supervisor,
                askerSubquestionAccuracy = excluded.askerSubquestionAccuracy, askerAnswerAccuracy = excluded.askerAnswerAccuracy
            """,
            "DELETE FROM runCount WHERE runId = \(id)",
        ]
            + counters.counts.sorted(by: { $0.key < $1.key }).map { name, value in
                "INSERT INTO runCount (runId, name, value) VALUES (\(id), \(name), \(value))"
            }
    }

    // MARK: Per-depth evaluations

    public func recordEvaluations(_ records: [EvaluationRecord], run id: String) throws {
        StoreRequirements.validate(records)
        try write(run: id) { try $0.executeAll(Self.inserts(records, run: id)) }
    }

    public func evaluations(run id: String, model: EvaluatedModel?) throws -> [EvaluationRecord] {
        try read(run: id) { session in
            let rows =
                if let model {
                    try session.rows(
                        """
                        SELECT step, model, depth, count, correct FROM evaluation WHERE runId = \(id) AND model = \(model.rawValue)
                        ORDER BY step, model COLLATE "C", depth
                        """)
                } else {
                    try session.rows(
                        """
                        SELECT step, model, depth, count, correct FROM evaluation WHERE runId = \(id)
                        ORDER BY step, model COLLATE "C", depth
                        """)
                }
            return try rows.map { row in
                let (step, model, depth, count, correct) = try row.decode((Int, String, Int, Int, Int).self)
                return EvaluationRecord(
                    step: step, model: EvaluatedModel(rawValue: model), depth: depth, count: count, correct: correct)
            }
        }
    }

    public func overallAccuracy(run id: String, model: EvaluatedModel) throws -> [MetricSample] {
        try read(run: id) { session in
            try session.rows(
                """
                SELECT step, sum(correct)::bigint, sum(count)::bigint FROM evaluation
                WHERE runId = \(id) AND model = \(model.rawValue) GROUP BY step ORDER BY step
                """
            ).map { row in
                let (step, correct, count) = try row.decode((Int, Int, Int).self)
                let accuracy = count == 0 ? 0 : Double(correct) / Double(count)
                return MetricSample(step: step, name: model.rawValue, value: accuracy)
            }
        }
    }

    static func inserts(_ records: [EvaluationRecord], run id: String) -> [PostgresQuery] {
        records.map { record in
            """
            INSERT INTO evaluation (runId, step, model, depth, count, correct)
            VALUES (\(id), \(record.step), \(record.model.rawValue), \(record.depth), \(record.count), \(record.correct))
            ON CONFLICT (runId, step, model, depth) DO UPDATE SET count = excluded.count, correct = excluded.correct
            """
        }
    }

    // MARK: Sampled traces

    public func recordTraces(_ traces: [TraceRecord], run id: String) throws {
        StoreRequirements.validate(traces)
        try write(run: id) { try $0.executeAll(Self.inserts(traces, run: id)) }
    }

    public func traces(run id: String, step: Int?) throws -> [TraceRecord] {
        try read(run: id) { session in
            let rows =
                if let step {
                    try session.rows(
                        "SELECT step, task, question, trace FROM trace WHERE runId = \(id) AND step = \(step) ORDER BY id")
                } else {
                    try session.rows("SELECT step, task, question, trace FROM trace WHERE runId = \(id) ORDER BY id")
                }
            return try rows.map { row in
                let (step, task, question, trace) = try row.decode((Int, String, String, String).self)
                return TraceRecord(step: step, task: task, question: question, trace: trace)
            }
        }
    }

    static func inserts(_ traces: [TraceRecord], run id: String) -> [PostgresQuery] {
        traces.map { trace in
            """
            INSERT INTO trace (runId, step, task, question, trace)
            VALUES (\(id), \(trace.step), \(trace.task), \(trace.question), \(trace.trace))
            """
        }
    }
}
