import TensorCore

/// Layer normalisation over the last axis with a learned gain and bias:
/// `y = (x − mean(x)) / sqrt(var(x) + ε) · weight + bias`, ε = 1e-5 (reference §4.1).
public final class LayerNorm: Module {
    /// (dimension), initialised to 1.
    public let weight: Tensor
    /// (dimension), initialised to 0.
    public let bias: Tensor
    public let epsilon: Float

    public init(dimension: Int, epsilon: Float = 1e-5) {
        precondition(dimension > 0, "LayerNorm: dimension must be positive, got \(dimension)")
        weight = Tensor(repeating: 1, shape: [dimension], requiresGradient: true)
        bias = Tensor.zeros(shape: [dimension], requiresGradient: true)
        self.epsilon = epsilon
    }

    /// (…, dimension) -> (…, dimension)
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.layerNorm(weight: weight, bias: bias, epsilon: epsilon)
    }

    public func parameters() -> [NamedParameter] {
        [("weight", weight), ("bias", bias)]
    }
}
