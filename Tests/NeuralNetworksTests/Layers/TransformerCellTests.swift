import IDATestSupport
import SeededRandom
import Testing
import TensorCore

@testable import NeuralNetworks

@Suite struct TransformerCellTests {
    @Test(arguments: [1, 2] as [UInt64])
    func selfAttentionCellGradientsMatchCentralDifferences(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let cell = TransformerCell(dimension: 4, headCount: 2, feedForwardMultiplier: 2, rng: &rng)
        let x = Tensor.uniform(shape: [2, 3, 4], in: -1...1, using: &rng, requiresGradient: true)
        let report = GradientCheck.run(
            "TransformerCell", inputs: [x] + cell.parameters().map(\.tensor), epsilon: 1e-3, tolerance: 3e-2, seed: seed
        ) { _ in cell(x, memory: x, mask: nil) }
        #expect(report.passed, "\(report)")
    }

    @Test func outputRowsArePostLayerNormalised() {
        var rng = SplitMix64(seed: 4)
        let cell = TransformerCell(dimension: 8, headCount: 2, feedForwardMultiplier: 4, rng: &rng)
        let out = cell(Tensor.uniform(shape: [1, 3, 8], in: -1...1, using: &rng), memory: Tensor.uniform(shape: [1, 5, 8], in: -1...1, using: &rng), mask: nil)
        #expect(out.shape == [1, 3, 8])
        for row in 0..<3 {
            let values = out.scalars[(row * 8)..<(row * 8 + 8)]
            #expect(abs(values.reduce(0, +) / 8) < 1e-5)
        }
    }

    @Test func keysNameEveryPart() {
        var rng = SplitMix64(seed: 1)
        let keys = TransformerCell(dimension: 4, headCount: 2, feedForwardMultiplier: 2, rng: &rng).parameters().map(\.key)
        #expect(keys == [
            "attention.query.weight", "attention.query.bias", "attention.key.weight", "attention.key.bias",
            "attention.value.weight", "attention.value.bias", "attention.output.weight", "attention.output.bias",
            "attentionNorm.weight", "attentionNorm.bias", "feedForward.up.weight", "feedForward.up.bias",
            "feedForward.down.weight", "feedForward.down.bias", "feedForwardNorm.weight", "feedForwardNorm.bias",
        ])
    }
}
