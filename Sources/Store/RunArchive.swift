/// Everything a store holds for one run: what `ida db copy` reads from one store and imports
/// into another (an SQLite file into PostgreSQL, say), in one transaction.
///
/// The runs grouped under it are archives of their own. The language models' response cache is
/// shared by every run of a store and is not part of any; nor are people's accounts, sessions and
/// the log entries of no run (sign-ins).
public struct RunArchive: Sendable, Hashable {
    /// The run as stored: its id, parent, status, times and report are kept.
    public var run: RunRecord
    public var metrics: [MetricSample]
    public var evaluations: [EvaluationRecord]
    /// Every checkpoint kept, by increasing step.
    public var checkpoints: [CheckpointRecord]
    /// In the order they were recorded.
    public var traces: [TraceRecord]
    public var counters: RunCounters?
    public var workspaces: [WorkspaceRecord]
    /// People's corrections of its answers, every version, by node then version.
    public var corrections: [CorrectionRecord]
    /// Its audit log, oldest first (an import gives the entries new sequence numbers, in order).
    public var audit: [AuditEntry]

    public init(
        run: RunRecord, metrics: [MetricSample] = [], evaluations: [EvaluationRecord] = [],
        checkpoints: [CheckpointRecord] = [], traces: [TraceRecord] = [], counters: RunCounters? = nil,
        workspaces: [WorkspaceRecord] = [], corrections: [CorrectionRecord] = [], audit: [AuditEntry] = []
    ) {
        self.run = run
        self.metrics = metrics
        self.evaluations = evaluations
        self.checkpoints = checkpoints
        self.traces = traces
        self.counters = counters
        self.workspaces = workspaces
        self.corrections = corrections
        self.audit = audit
    }
}

extension RunStore where Self: PeopleStore {
    /// Run `id` with everything recorded for it, read through the protocol.
    ///
    /// The reads are separate snapshots: archive a run that is not being written (a finished
    /// or interrupted one) to get a consistent copy.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    public func archive(run id: String) throws -> RunArchive {
        let record = try run(id: id)
        let series = try metricSeries(run: id)
        return RunArchive(
            run: record,
            metrics: series.keys.sorted().flatMap { series[$0] ?? [] },
            evaluations: try evaluations(run: id),
            checkpoints: try checkpoints(run: id).map { try checkpoint(run: id, step: $0.step) },
            traces: try traces(run: id),
            counters: try counters(run: id),
            workspaces: try workspaces(run: id),
            corrections: try corrections(run: id),
            audit: try audit(run: id))
    }
}
