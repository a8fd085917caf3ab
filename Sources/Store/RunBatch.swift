/// Records of one run written in one transaction: all of them are stored, or none.
///
/// The training loop buffers metrics between checkpoints and commits them with the checkpoint,
/// so a resumed run never sees a checkpoint without the metrics that led to it.
///
/// ```swift
/// var batch = RunBatch()
/// batch.metrics.append(MetricSample(step: 200, name: "loss", value: 0.42))
/// batch.checkpoint = CheckpointRecord(step: 200, formatVersion: 1, payload: bytes,
///                                     trainerState: stateJSON, createdAt: now)
/// try store.commit(batch, run: run.id)
/// ```
public struct RunBatch: Sendable, Hashable {
    public var metrics: [MetricSample]
    public var evaluations: [EvaluationRecord]
    public var traces: [TraceRecord]
    /// Saved after the other records; older checkpoints are pruned in the same transaction.
    public var checkpoint: CheckpointRecord?
    /// The run's counters as of this batch, replacing those stored.
    public var counters: RunCounters?

    public init(
        metrics: [MetricSample] = [], evaluations: [EvaluationRecord] = [],
        traces: [TraceRecord] = [], checkpoint: CheckpointRecord? = nil, counters: RunCounters? = nil
    ) {
        self.metrics = metrics
        self.evaluations = evaluations
        self.traces = traces
        self.checkpoint = checkpoint
        self.counters = counters
    }

    /// Whether the batch holds nothing to write.
    public var isEmpty: Bool {
        metrics.isEmpty && evaluations.isEmpty && traces.isEmpty && checkpoint == nil && counters == nil
    }
}
