import TensorCore

/// One training step of an answerer, data-parallel (``ShardedGradients``): the batch is cut into
/// ``shardCount`` shards of whole instances, every shard's loss divided by the whole batch's
/// question count, and the optimizer steps once on the summed gradients.
///
/// ```swift
/// let trainer = AnswererTrainer(model: model, optimizer: Adam(parameters: model.parameters().map(\.tensor)))
/// let loss = trainer.step(batch)
/// ```
public final class AnswererTrainer {
    public let optimizer: Adam
    private let sharded: ShardedGradients<Answerer>
    public var model: Answerer { sharded.model }
    /// Shards per batch (fewer when the batch has fewer instances).
    public var shardCount: Int { sharded.shardCount }

    /// Two shards by default: one per core of the 2-core machines ida is sized for; more shards
    /// than cores cost a little (smaller products) and change nothing else.
    ///
    /// - Precondition: `shardCount ≥ 1`; `optimizer` updates `model`'s parameters.
    public init(model: Answerer, optimizer: Adam, shardCount: Int = 2) {
        self.optimizer = optimizer
        sharded = ShardedGradients(model: model, shardCount: shardCount) { $0.replica() }
    }

    /// Forward and backward on `batch`, leaving the gradients of the whole batch's loss in
    /// `model`'s parameters (added to whatever they held). Returns the loss.
    ///
    /// - Precondition: as ``Answerer/loss(_:)``.
    @discardableResult
    public func accumulateGradients(_ batch: AnswererBatch) -> Float {
        let shards = min(shardCount, batch.instanceCount)
        guard shards > 1 else { return sharded.accumulate(shards: 1) { replica, _ in replica.loss(batch) } }
        let questionCount = model.realQuestionCount(batch)
        let pieces = (0..<shards).map { shard in
            batch.instances((shard * batch.instanceCount / shards)..<((shard + 1) * batch.instanceCount / shards))
        }
        return sharded.accumulate(shards: shards) { replica, shard in replica.loss(pieces[shard], averagedOver: questionCount) }
    }

    /// One optimizer step on `batch`: ``accumulateGradients(_:)`` then `optimizer.step()`.
    /// Returns the loss before the step.
    @discardableResult
    public func step(_ batch: AnswererBatch) -> Float {
        let loss = accumulateGradients(batch)
        optimizer.step()
        return loss
    }
}
