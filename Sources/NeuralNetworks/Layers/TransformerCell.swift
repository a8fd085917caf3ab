import SeededRandom
import TensorCore

/// The post-LN Transformer cell of the paper (reference §4.1):
///
/// ```
/// x = LayerNorm(x + Attention(x, memory))
/// x = LayerNorm(x + FeedForward(x))
/// ```
///
/// With `memory = x` it is a self-attention cell (the fact encoder); with the fact states as
/// memory it is a cross-attention cell (the question encoder).
public final class TransformerCell: Module {
    public let attention: MultiHeadAttention
    public let attentionNorm: LayerNorm
    public let feedForward: FeedForward
    public let feedForwardNorm: LayerNorm

    public init(dimension: Int, headCount: Int, feedForwardMultiplier: Int, rng: inout SplitMix64) {
        attention = MultiHeadAttention(dimension: dimension, headCount: headCount, rng: &rng)
        attentionNorm = LayerNorm(dimension: dimension)
        feedForward = FeedForward(dimension: dimension, multiplier: feedForwardMultiplier, rng: &rng)
        feedForwardNorm = LayerNorm(dimension: dimension)
    }

    /// x (B, T, d), memory (B, S, d), additive mask broadcast to (B, T, S) -> (B, T, d)
    public func callAsFunction(_ x: Tensor, memory: Tensor, mask: Tensor?) -> Tensor {
        let attended = attentionNorm(x + attention(x, memory: memory, mask: mask))
        return feedForwardNorm(attended + feedForward(attended))
    }

    public func parameters() -> [NamedParameter] {
        attention.parameters(prefix: "attention") + attentionNorm.parameters(prefix: "attentionNorm")
            + feedForward.parameters(prefix: "feedForward") + feedForwardNorm.parameters(prefix: "feedForwardNorm")
    }
}
