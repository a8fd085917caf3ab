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
}
