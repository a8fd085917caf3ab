import TensorCore

/// One training step of an answerer, data-parallel: the batch is cut into ``shardCount`` shards
/// of whole instances, each shard runs forward and backward on its own replica and tape, one per
/// core (``Shards``), the replicas' gradients are added into the model's in shard order, and the
/// optimizer steps once.
///
/// The loss and gradients equal those of one `tape.recording { model.loss(batch) }` pass up to
/// float rounding (every shard's loss is divided by the whole batch's question count); the split
/// is fixed, not derived from the core count, so equal seeds give equal weights on any machine.
/// A step pays one fork/join for the whole forward and backward pass instead of one per op.
///
/// ```swift
/// let trainer = AnswererTrainer(model: model, optimizer: Adam(parameters: model.parameters().map(\.tensor)))
/// let loss = trainer.step(batch)
/// ```
public final class AnswererTrainer {
    public let model: Answerer
    public let optimizer: Adam
    /// Shards per batch (fewer when the batch has fewer instances).
    public let shardCount: Int
    /// replicas[0] is `model`; the others share its weights.
    private let replicas: [Answerer]
    private let tapes: [Tape]
    /// Each replica's parameters, in `model.parameters()` order.
    private let replicaParameters: [[Tensor]]

    /// Two shards by default: one per core of the 2-core machines ida is sized for; more shards
    /// than cores cost a little (smaller products) and change nothing else.
    ///
    /// - Precondition: `shardCount ≥ 1`; `optimizer` updates `model`'s parameters.
    public init(model: Answerer, optimizer: Adam, shardCount: Int = 2) {
        precondition(shardCount >= 1, "AnswererTrainer: shardCount must be at least 1, got \(shardCount)")
        self.model = model
        self.optimizer = optimizer
        self.shardCount = shardCount
        replicas = [model] + (1..<shardCount).map { _ in model.replica() }
        tapes = replicas.map { _ in Tape() }
        replicaParameters = replicas.map { $0.parameters().map(\.tensor) }
    }

    /// Forward and backward on `batch`, leaving the gradients of the whole batch's loss in
    /// `model`'s parameters (added to whatever they held). Returns the loss.
    ///
    /// - Precondition: as ``Answerer/loss(_:)``.
    @discardableResult
    public func accumulateGradients(_ batch: AnswererBatch) -> Float {
        let shards = min(shardCount, batch.instanceCount)
        guard shards > 1 else {
            let loss = tapes[0].recording { model.loss(batch) }
            tapes[0].backward(loss)
            return loss.item
        }
        let questionCount = model.realQuestionCount(batch)
        let pieces = (0..<shards).map { shard in
            batch.instances((shard * batch.instanceCount / shards)..<((shard + 1) * batch.instanceCount / shards))
        }
        var losses = [Float](repeating: 0, count: shards)
        // Safe: shard s writes only results[s] (s < shards == losses.count) with its own tape and
        // replica; `results` does not escape, and Shards.forEach joins before the closure returns.
        losses.withUnsafeMutableBufferPointer { results in
            Shards.forEach(shards) { shard in
                let tape = tapes[shard]
                let loss = tape.recording { replicas[shard].loss(pieces[shard], averagedOver: questionCount) }
                tape.backward(loss)
                results[shard] = loss.item
            }
        }
        let parameters = replicaParameters[0]
        Shards.forEach(shards) { part in
            // Safe: part p owns parameter indices [p·n/shards, (p+1)·n/shards), disjoint tensors and
            // gradients (Answerer.parameters() lists each tensor once), so no two parts write one buffer.
            let range = (part * parameters.count / shards)..<((part + 1) * parameters.count / shards)
            for index in range {
                for shard in 1..<shards { parameters[index].accumulateGradient(consuming: replicaParameters[shard][index]) }
            }
        }
        return losses.reduce(0, +)
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
