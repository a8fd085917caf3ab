import IDATestSupport
import SeededRandom
import Testing
import TensorCore

@testable import NeuralNetworks

@Suite struct MultiHeadAttentionTests {
    @Test(arguments: [1, 2] as [UInt64])
    func crossAttentionGradientsMatchCentralDifferences(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let attention = MultiHeadAttention(dimension: 4, headCount: 2, rng: &rng)
        let x = Tensor.uniform(shape: [2, 2, 4], in: -1...1, using: &rng, requiresGradient: true)
        let memory = Tensor.uniform(shape: [2, 3, 4], in: -1...1, using: &rng, requiresGradient: true)
        let mask = Tensor.attentionMask(keep: [true, true, false, true, true, true], shape: [2, 1, 3])
        let report = GradientCheck.run(
            "MultiHeadAttention", inputs: [x, memory] + attention.parameters().map(\.tensor), epsilon: 1e-3,
            tolerance: 2e-2, seed: seed
        ) { _ in attention(x, memory: memory, mask: mask) }
        #expect(report.passed, "\(report)")
    }

    @Test func maskedKeysDoNotInfluenceTheOutput() {
        var rng = SplitMix64(seed: 3)
        let attention = MultiHeadAttention(dimension: 4, headCount: 2, rng: &rng)
        let x = Tensor.uniform(shape: [1, 2, 4], in: -1...1, using: &rng)
        let memory = Tensor.uniform(shape: [1, 3, 4], in: -1...1, using: &rng).scalars
        var changed = memory
        for index in 8..<12 { changed[index] = 5 }  // the masked third key/value row
        let mask = Tensor.attentionMask(keep: [true, true, false], shape: [1, 1, 3])
        let a = attention(x, memory: Tensor(shape: [1, 3, 4], scalars: memory), mask: mask).scalars
        let b = attention(x, memory: Tensor(shape: [1, 3, 4], scalars: changed), mask: mask).scalars
        #expect(a == b)
    }

    @Test func indivisibleHeadsTrap() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 1)
            _ = MultiHeadAttention(dimension: 6, headCount: 4, rng: &rng)
        }
    }
}
