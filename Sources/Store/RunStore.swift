import Foundation

/// The persistent record of ida's experiments: runs, metric series, per-depth evaluations,
/// checkpoints, sampled traces, counters and amplification trees.
///
/// A protocol, so that callers (the command line, the application layer, a server) do not know
/// which database holds them: ``SQLiteStore`` is the one-machine implementation, `PostgresStore`
/// (module `StorePostgres`) the one many machines share; one conformance suite tests both. Every write is one transaction: a process
/// killed with `kill -9` loses nothing it had committed. An unknown run id throws
/// ``StoreError/runNotFound(id:)``. Times are passed in; a store never reads the clock.
public protocol RunStore: Sendable {
    /// Where the store is, as the user named it (a file path, a URL), for messages.
    var path: String { get }

    // MARK: Runs

    /// Stores a new run with status `running` and a new id, and returns it.
    func createRun(_ new: NewRun) throws -> RunRecord
    func run(id: String) throws -> RunRecord
    /// Every run, newest first.
    func runs() throws -> [RunRecord]
    /// The runs grouped under run `id`, oldest first.
    func children(of id: String) throws -> [RunRecord]
    /// Sets a run's status and `updatedAt`, and its wall time and report when given (nil keeps them).
    @discardableResult
    func updateRun(_ id: String, status: RunStatus, updatedAt: Date, wallSeconds: Double?, report: String?) throws
        -> RunRecord
    /// Sets a running run's `updatedAt` and wall time, leaving its status alone.
    func recordProgress(_ id: String, updatedAt: Date, wallSeconds: Double) throws
    /// Deletes a run with everything recorded for it, and the runs grouped under it.
    func deleteRun(_ id: String) throws
    /// Stores `archive`'s run under its own id, with everything recorded for it, in one
    /// transaction (checkpoints beyond this store's ``StoreConfiguration/checkpointsKept`` are
    /// pruned as they would be when saved).
    ///
    /// - Throws: ``StoreError/runExists(id:)`` when the id is taken,
    ///   ``StoreError/runNotFound(id:)`` when its parent is not stored.
    func importRun(_ archive: RunArchive) throws

    // MARK: What a training run records

    /// A training step's metrics, evaluations, traces and counters, in one transaction.
    func commit(_ batch: RunBatch, run id: String) throws
    func appendMetrics(_ samples: [MetricSample], run id: String) throws
    func metricSeries(_ name: String, run id: String) throws -> [MetricSample]
    func metricSeries(run id: String) throws -> [String: [MetricSample]]
    func metricNames(run id: String) throws -> [String]
    func lastMetricStep(run id: String) throws -> Int?
    func saveCheckpoint(_ checkpoint: CheckpointRecord, run id: String) throws
    func latestCheckpoint(run id: String) throws -> CheckpointRecord?
    func checkpoint(run id: String, step: Int) throws -> CheckpointRecord
    func checkpoints(run id: String) throws -> [CheckpointSummary]
    func saveCounters(_ counters: RunCounters, run id: String) throws
    func counters(run id: String) throws -> RunCounters?
    func recordEvaluations(_ records: [EvaluationRecord], run id: String) throws
    /// Run `id`'s evaluations, of one model or of all.
    func evaluations(run id: String, model: EvaluatedModel?) throws -> [EvaluationRecord]
    func overallAccuracy(run id: String, model: EvaluatedModel) throws -> [MetricSample]
    func recordTraces(_ traces: [TraceRecord], run id: String) throws
    /// Run `id`'s sampled traces, at one step or all.
    func traces(run id: String, step: Int?) throws -> [TraceRecord]

    // MARK: Amplification trees

    /// Writes `records` (upserts), removes the workspaces with ids `removed` (a sub-workspace
    /// whose question was taken back), and, when given, writes the run's report and `updatedAt`,
    /// in one transaction.
    func recordWorkspaces(
        _ records: [WorkspaceRecord], removing removed: [String], run id: String, report: String?, updatedAt: Date
    ) throws
    /// Run `id`'s workspaces in the tree's order: all, or `root` and those below it.
    func workspaces(run id: String, within root: String?) throws -> [WorkspaceRecord]

    /// The language-model reply cached under `key` (its JSON), if any.
    func cachedModelReply(key: String) throws -> String?
    /// Caches a language model's `reply` (JSON) under `key`; a reply already cached there stays.
    func cacheModelReply(_ reply: String, key: String, createdAt: Date) throws
    /// Closes the store; later calls throw.
    func close() throws
}

extension RunStore {
    @discardableResult
    public func updateRun(_ id: String, status: RunStatus, updatedAt: Date) throws -> RunRecord {
        try updateRun(id, status: status, updatedAt: updatedAt, wallSeconds: nil, report: nil)
    }

    @discardableResult
    public func updateRun(_ id: String, status: RunStatus, updatedAt: Date, wallSeconds: Double) throws -> RunRecord {
        try updateRun(id, status: status, updatedAt: updatedAt, wallSeconds: wallSeconds, report: nil)
    }

    @discardableResult
    public func updateRun(_ id: String, status: RunStatus, updatedAt: Date, report: String) throws -> RunRecord {
        try updateRun(id, status: status, updatedAt: updatedAt, wallSeconds: nil, report: report)
    }

    public func evaluations(run id: String) throws -> [EvaluationRecord] {
        try evaluations(run: id, model: nil)
    }

    public func traces(run id: String) throws -> [TraceRecord] {
        try traces(run: id, step: nil)
    }

    public func recordWorkspaces(_ records: [WorkspaceRecord], run id: String, report: String?, updatedAt: Date) throws {
        try recordWorkspaces(records, removing: [], run: id, report: report, updatedAt: updatedAt)
    }

    public func recordWorkspaces(_ records: [WorkspaceRecord], run id: String) throws {
        try recordWorkspaces(records, run: id, report: nil, updatedAt: Date())
    }

    public func recordWorkspaces(_ records: [WorkspaceRecord], run id: String, report: String) throws {
        try recordWorkspaces(records, run: id, report: report, updatedAt: Date())
    }

    public func workspaces(run id: String) throws -> [WorkspaceRecord] {
        try workspaces(run: id, within: nil)
    }
}
