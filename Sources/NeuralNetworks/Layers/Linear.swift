import SeededRandom
import TensorCore

/// A fully connected layer: `y = x·W + b`, W is (inputCount, outputCount), b is (outputCount).
///
/// Initialisation follows the paper's code (reference §4.1): W ~ N(0, 1/inputCount), b = 0.
///
/// ```swift
/// var rng = SplitMix64(seed: 1)
/// let layer = Linear(inputCount: 64, outputCount: 256, rng: &rng)
/// let y = layer(x)            // (…, 64) -> (…, 256)
/// ```
public final class Linear: Module {
    /// (inputCount, outputCount)
    public let weight: Tensor
    /// (outputCount)
    public let bias: Tensor

    public init(inputCount: Int, outputCount: Int, rng: inout SplitMix64) {
        precondition(inputCount > 0 && outputCount > 0, "Linear: sizes must be positive, \(inputCount) -> \(outputCount)")
        weight = Tensor.normal(
            shape: [inputCount, outputCount], standardDeviation: 1 / Float(inputCount).squareRoot(),
            using: &rng, requiresGradient: true)
        bias = Tensor.zeros(shape: [outputCount], requiresGradient: true)
    }

    public var inputCount: Int { weight.shape[0] }
    public var outputCount: Int { weight.shape[1] }

    /// (…, inputCount) -> (…, outputCount)
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.linear(weight: weight, bias: bias)
    }

    /// `relu(layer(x))` in one fused op.
    public func relu(_ x: Tensor) -> Tensor {
        x.linearReLU(weight: weight, bias: bias)
    }

    public func parameters() -> [NamedParameter] {
        [("weight", weight), ("bias", bias)]
    }
}
