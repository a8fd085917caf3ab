import TensorCore

/// The gradients of one batch's loss computed data-parallel: the batch is cut into shards, each
/// shard runs forward and backward on its own replica of the model and its own tape, one per
/// core (``Shards``), and the replicas' gradients are added into the model's in shard order.
///
/// The result equals one `tape.recording { model.loss(batch) }` pass up to float rounding when
/// every shard's loss is divided by the whole batch's count (the caller's `loss` does that); the
/// split is the caller's and fixed, not derived from the core count, so equal seeds give equal
/// weights on any machine. A step pays one fork/join for the whole forward and backward pass
/// instead of one per op.
///
/// ```swift
/// let sharded = ShardedGradients(model: model, shardCount: 2) { $0.replica() }
/// let loss = sharded.accumulate(shards: 2) { replica, shard in replica.loss(pieces[shard], averagedOver: count) }
/// optimizer.step()
/// ```
public final class ShardedGradients<Model: Module> {
    /// The model whose gradients are accumulated.
    public let model: Model
    /// Shards at most.
    public let shardCount: Int
    /// replicas[0] is `model`; the others share its weights and accumulate their own gradients.
    private let replicas: [Model]
    private let tapes: [Tape]
    /// Each replica's parameters, in `model.parameters()` order.
    private let replicaParameters: [[Tensor]]

    /// - Precondition: `shardCount ≥ 1`; `replica` returns a model that reads and writes
    ///   `model`'s weights (``Tensor/shareValues(with:)``) with its own gradients.
    public init(model: Model, shardCount: Int, replica: (Model) -> Model) {
        precondition(shardCount >= 1, "ShardedGradients: shardCount must be at least 1, got \(shardCount)")
        self.model = model
        self.shardCount = shardCount
        replicas = [model] + (1..<shardCount).map { _ in replica(model) }
        tapes = replicas.map { _ in Tape() }
        replicaParameters = replicas.map { $0.parameters().map(\.tensor) }
    }

    /// Runs `loss(replica, shard)` for every shard in `0..<shards` on its own tape, side by side,
    /// backward from each, and leaves the sum of their gradients in `model`'s parameters (added
    /// to whatever they held). Returns the sum of the shards' losses.
    ///
    /// - Precondition: `1 ≤ shards ≤ shardCount`; `loss` reads only its shard's inputs.
    @discardableResult
    public func accumulate(shards: Int, _ loss: (_ replica: Model, _ shard: Int) -> Tensor) -> Float {
        precondition(shards >= 1 && shards <= shardCount, "ShardedGradients: \(shards) shards of at most \(shardCount)")
        guard shards > 1 else {
            let value = tapes[0].recording { loss(model, 0) }
            tapes[0].backward(value)
            return value.item
        }
        var losses = [Float](repeating: 0, count: shards)
        // Safe: shard s writes only results[s] (s < shards == losses.count) with its own tape and
        // replica; `results` does not escape, and Shards.forEach joins before the closure returns.
        losses.withUnsafeMutableBufferPointer { results in
            Shards.forEach(shards) { shard in
                let tape = tapes[shard]
                let value = tape.recording { loss(replicas[shard], shard) }
                tape.backward(value)
                results[shard] = value.item
            }
        }
        let parameters = replicaParameters[0]
        Shards.forEach(shards) { part in
            // Safe: part p owns parameter indices [p·n/shards, (p+1)·n/shards), disjoint tensors and
            // gradients (a module lists each tensor once), so no two parts write one buffer.
            let range = (part * parameters.count / shards)..<((part + 1) * parameters.count / shards)
            for index in range {
                for shard in 1..<shards { parameters[index].accumulateGradient(consuming: replicaParameters[shard][index]) }
            }
        }
        return losses.reduce(0, +)
    }
}
