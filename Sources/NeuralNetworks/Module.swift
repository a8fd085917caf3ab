import OutsideInput
import TensorCore

/// A named parameter: a stable dotted key (used by checkpoints and the EMA) and its tensor.
public typealias NamedParameter = (key: String, tensor: Tensor)

/// Anything with trainable parameters: layers and models.
///
/// Keys are explicit strings chosen by each module (`"query.weight"`), prefixed by the owner's
/// name for it (`"facts.cells.0.attention.query.weight"`); they never follow Swift property names
/// implicitly, so renaming a property never breaks a checkpoint.
public protocol Module: AnyObject {
    /// Every trainable tensor under its stable key, in a fixed order.
    func parameters() -> [NamedParameter]
}

extension Module {
    /// This module's parameters with `prefix.` before every key.
    public func parameters(prefix: String) -> [NamedParameter] {
        parameters().map { (key: "\(prefix).\($0.key)", tensor: $0.tensor) }
    }

    /// The number of trainable values.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.tensor.count } }

    /// `copy`, a fresh module of this one's architecture, made to read and write this one's weights
    /// (``Tensor/shareValues(with:)``) while accumulating its own gradients: a replica for one
    /// shard of a data-parallel step (``ShardedGradients``).
    ///
    /// - Precondition: `copy` lists the same keys in the same order.
    func sharingWeights(into copy: Self) -> Self {
        for (mine, theirs) in zip(parameters(), copy.parameters()) {
            precondition(mine.key == theirs.key, "\(Self.self).replica: parameter \(theirs.key) where \(mine.key) was expected")
            theirs.tensor.shareValues(with: mine.tensor)
        }
        return copy
    }
}

extension Module {
    /// A snapshot of every parameter under its key, with `configuration` as the checkpoint's
    /// description of the model.
    public func parametersCheckpoint(configuration: [UInt8] = []) -> Checkpoint {
        Checkpoint(
            configuration: configuration,
            parameters: parameters().map { Checkpoint.Parameter(key: $0.key, shape: $0.tensor.shape, values: $0.tensor.scalars) })
    }

    /// Overwrites the parameters with the checkpoint's, in place (tensors sharing these values see
    /// the new ones).
    ///
    /// - Throws: ``CheckpointError/incompatible(_:)`` naming the first key or shape that differs
    ///   (`modelName` says whose, e.g. "the model"); nothing is changed in that case.
    public func loadParameters(_ checkpoint: Checkpoint, modelName: String) throws(CheckpointError) {
        let own = parameters()
        guard own.count == checkpoint.parameters.count else {
            throw .incompatible("checkpoint has \(checkpoint.parameters.count) parameters, \(modelName) \(own.count)")
        }
        for (mine, stored) in zip(own, checkpoint.parameters) {
            // The stored key comes from the file: escaped, so the message stays one line.
            let key = ErrorText.printable(stored.key)
            guard mine.key == stored.key else { throw .incompatible("key \(key) where \(modelName) has \(mine.key)") }
            guard mine.tensor.shape == stored.shape else {
                throw .incompatible("\(key) has shape \(stored.shape), \(modelName) \(mine.tensor.shape)")
            }
        }
        for (mine, stored) in zip(own, checkpoint.parameters) {
            // Safe: stored.values.count == values.count: equal shapes (checked above) and Parameter's init; the subscript is checked.
            mine.tensor.withUnsafeMutableBuffer { values in
                for index in 0..<values.count { values[index] = stored.values[index] }
            }
        }
    }
}
