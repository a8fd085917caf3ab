import GRDB

// MARK: - Atomic batches

extension SQLiteStore {
    /// Writes every record of `batch` for run `id` in one transaction: all or nothing.
    ///
    /// Metrics, evaluations and traces are written first, then the checkpoint (with pruning) and
    /// the counters, each with the same replace rules as the single-kind methods.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    /// - Precondition: the records satisfy the preconditions of ``appendMetrics(_:run:)``,
    ///   ``recordEvaluations(_:run:)``, ``recordTraces(_:run:)``, ``saveCheckpoint(_:run:)`` and
    ///   ``saveCounters(_:run:)``.
    public func commit(_ batch: RunBatch, run id: String) throws {
        StoreRequirements.validate(batch)
        try write(run: id) { db in
            try Self.insert(batch.metrics, run: id, in: db)
            try Self.insert(batch.evaluations, run: id, in: db)
            try Self.insert(batch.traces, run: id, in: db)
            if let checkpoint = batch.checkpoint { try insert(checkpoint, run: id, in: db) }
            if let counters = batch.counters { try Self.insert(counters, run: id, in: db) }
        }
    }
}
