import SeededRandom
import Testing
import TensorCore

@testable import NeuralNetworks

@Suite struct EmbeddingTests {
    @Test func looksUpRowsInShape() {
        var rng = SplitMix64(seed: 1)
        let embedding = Embedding(vocabularySize: 5, dimension: 3, rng: &rng)
        let table = embedding.weight.scalars
        let out = embedding([4, 0, 2, 4], shape: [2, 2])
        #expect(out.shape == [2, 2, 3])
        #expect(out.scalars == Array(table[12..<15] + table[0..<3] + table[6..<9] + table[12..<15]))
    }

    @Test func repeatedTokensAccumulateTheirGradients() {
        var rng = SplitMix64(seed: 2)
        let embedding = Embedding(vocabularySize: 3, dimension: 2, rng: &rng)
        let tape = Tape()
        let loss = tape.recording { (embedding([1, 1, 2], shape: [3]) * Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])).sum() }
        tape.backward(loss)
        #expect(embedding.weight.gradient == [0, 0, 4, 6, 5, 6])
    }

    @Test func outOfRangeTokenTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 1)
            _ = Embedding(vocabularySize: 3, dimension: 2, rng: &rng)([3], shape: [1])
        }
    }
}
