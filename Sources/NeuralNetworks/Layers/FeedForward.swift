import SeededRandom
import TensorCore

/// The cell's position-wise block: `down(relu(up(x)))`, d -> multiplier·d -> d.
public final class FeedForward: Module {
    public let up: Linear
    public let down: Linear

    public init(dimension: Int, multiplier: Int, rng: inout SplitMix64) {
        up = Linear(inputCount: dimension, outputCount: multiplier * dimension, rng: &rng)
        down = Linear(inputCount: multiplier * dimension, outputCount: dimension, rng: &rng)
    }

    /// (…, d) -> (…, d)
    public func callAsFunction(_ x: Tensor) -> Tensor {
        down(up.relu(x))
    }

    public func parameters() -> [NamedParameter] {
        up.parameters(prefix: "up") + down.parameters(prefix: "down")
    }
}
