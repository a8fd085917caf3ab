import SeededRandom
import TensorCore

/// Multi-head scaled dot-product attention with query, key, value and merge projections.
///
/// `y = merge(softmax(q·kᵀ/sqrt(d/h) + mask)·v)` per head, with q = query(x),
/// k = key(memory), v = value(memory). Self-attention passes `memory = x`; the question
/// encoder's cross-attention passes the fact states. `mask` is additive, broadcast to (B, T, S):
/// build it with `Tensor.attentionMask(keep:shape:)`, e.g. (B, 1, S) to hide padding facts.
public final class MultiHeadAttention: Module {
    public let query: Linear
    public let key: Linear
    public let value: Linear
    public let output: Linear
    public let headCount: Int

    public init(dimension: Int, headCount: Int, rng: inout SplitMix64) {
        precondition(
            headCount > 0 && dimension % headCount == 0,
            "MultiHeadAttention: dimension \(dimension) is not a multiple of headCount \(headCount)")
        query = Linear(inputCount: dimension, outputCount: dimension, rng: &rng)
        key = Linear(inputCount: dimension, outputCount: dimension, rng: &rng)
        value = Linear(inputCount: dimension, outputCount: dimension, rng: &rng)
        output = Linear(inputCount: dimension, outputCount: dimension, rng: &rng)
        self.headCount = headCount
    }

    /// x (B, T, d) attends to memory (B, S, d) under `mask` (broadcast to (B, T, S)). Returns (B, T, d).
    public func callAsFunction(_ x: Tensor, memory: Tensor, mask: Tensor?) -> Tensor {
        let attended = Tensor.attention(
            query: query(x), key: key(memory), value: value(memory), mask: mask, heads: headCount)
        return output(attended)  // (B, T, d)
    }

    public func parameters() -> [NamedParameter] {
        query.parameters(prefix: "query") + key.parameters(prefix: "key") + value.parameters(prefix: "value")
            + output.parameters(prefix: "output")
    }
}
