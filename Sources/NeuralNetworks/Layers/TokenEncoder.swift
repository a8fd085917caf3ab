import SeededRandom
import TensorCore

/// Encodes fixed-length token sequences (facts, questions, answer prefixes) as one vector each:
/// embed every token, concatenate in order, `Linear(length·e → d)`, LayerNorm.
///
/// Concatenation (rather than a sum) keeps the position of each token within its sequence.
public final class TokenEncoder: Module {
    public let embedding: Embedding
    public let projection: Linear
    public let norm: LayerNorm
    /// Tokens per sequence.
    public let length: Int

    public init(vocabularySize: Int, length: Int, embeddingDimension: Int, dimension: Int, rng: inout SplitMix64) {
        precondition(length > 0, "TokenEncoder: length must be positive, got \(length)")
        embedding = Embedding(vocabularySize: vocabularySize, dimension: embeddingDimension, rng: &rng)
        projection = Linear(inputCount: length * embeddingDimension, outputCount: dimension, rng: &rng)
        norm = LayerNorm(dimension: dimension)
        self.length = length
    }

    /// tokens (B, N, length) row-major -> (B, N, d)
    public func callAsFunction(_ tokens: [Int], batchCount: Int, sequenceCount: Int) -> Tensor {
        precondition(
            tokens.count == batchCount * sequenceCount * length,
            "TokenEncoder: \(tokens.count) tokens do not fill (\(batchCount), \(sequenceCount), \(length))")
        let embedded = embedding(tokens, shape: [batchCount, sequenceCount * length])  // (B, N·length, e)
        let flat = embedded.reshaped([batchCount, sequenceCount, length * embedding.dimension])  // (B, N, length·e)
        return norm(projection(flat))  // (B, N, d)
    }

    public func parameters() -> [NamedParameter] {
        embedding.parameters(prefix: "embedding") + projection.parameters(prefix: "projection")
            + norm.parameters(prefix: "norm")
    }
}
