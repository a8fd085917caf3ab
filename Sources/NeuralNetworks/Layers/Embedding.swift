import SeededRandom
import TensorCore

/// A token embedding table: row `id` of a (vocabularySize, dimension) table, N(0, 1) initialised
/// as in the paper's code (reference §4.1).
public final class Embedding: Module {
    /// (vocabularySize, dimension)
    public let weight: Tensor

    public init(vocabularySize: Int, dimension: Int, rng: inout SplitMix64) {
        precondition(vocabularySize > 0 && dimension > 0, "Embedding: sizes must be positive, \(vocabularySize) x \(dimension)")
        weight = Tensor.normal(shape: [vocabularySize, dimension], using: &rng, requiresGradient: true)
    }

    public var vocabularySize: Int { weight.shape[0] }
    public var dimension: Int { weight.shape[1] }

    /// Looks up `ids` (row-major in `shape`) and returns shape + [dimension].
    ///
    /// - Precondition: every id is in `0..<vocabularySize` (checked by the TensorCore op).
    public func callAsFunction(_ ids: [Int], shape: [Int]) -> Tensor {
        weight.embedding(tokens: ids, shape: shape)
    }

    public func parameters() -> [NamedParameter] {
        [("weight", weight)]
    }
}
