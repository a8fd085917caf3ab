import IDATestSupport
import SeededRandom
import Testing
import TensorCore

@testable import NeuralNetworks

@Suite struct TokenEncoderTests {
    @Test func tokenOrderWithinASequenceMatters() {
        var rng = SplitMix64(seed: 1)
        let encoder = TokenEncoder(vocabularySize: 5, length: 2, embeddingDimension: 3, dimension: 4, rng: &rng)
        let out = encoder([1, 2, 2, 1], batchCount: 1, sequenceCount: 2).scalars
        #expect(out.count == 8)
        #expect(Array(out[0..<4]) != Array(out[4..<8]))
    }

    @Test(arguments: [2, 3] as [UInt64])
    func gradientsMatchCentralDifferences(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let encoder = TokenEncoder(vocabularySize: 4, length: 2, embeddingDimension: 2, dimension: 3, rng: &rng)
        let report = GradientCheck.run(
            "TokenEncoder", inputs: encoder.parameters().map(\.tensor), epsilon: 1e-3, tolerance: 2e-2, seed: seed
        ) { _ in encoder([1, 3, 0, 2, 3, 3], batchCount: 1, sequenceCount: 3) }
        #expect(report.passed, "\(report)")
    }

    @Test func tokenCountMismatchTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 1)
            let encoder = TokenEncoder(vocabularySize: 4, length: 2, embeddingDimension: 2, dimension: 3, rng: &rng)
            _ = encoder([1, 2, 3], batchCount: 1, sequenceCount: 2)
        }
    }
}
