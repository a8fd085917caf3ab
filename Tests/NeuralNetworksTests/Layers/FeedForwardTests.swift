import IDATestSupport
import SeededRandom
import Testing
import TensorCore

@testable import NeuralNetworks

@Suite struct FeedForwardTests {
    @Test func expandsByTheMultiplierAndReturnsToTheWidth() {
        var rng = SplitMix64(seed: 1)
        let block = FeedForward(dimension: 8, multiplier: 4, rng: &rng)
        #expect(block.up.outputCount == 32 && block.down.outputCount == 8)
        #expect(block(Tensor.zeros(shape: [2, 3, 8])).shape == [2, 3, 8])
        #expect(block.parameters().map(\.key) == ["up.weight", "up.bias", "down.weight", "down.bias"])
    }

    @Test(arguments: [2, 3] as [UInt64])
    func gradientsMatchCentralDifferences(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let block = FeedForward(dimension: 3, multiplier: 2, rng: &rng)
        let x = Tensor.uniform(shape: [2, 3], in: -2...2, using: &rng, requiresGradient: true)
        let report = GradientCheck.run(
            "FeedForward", inputs: [x] + block.parameters().map(\.tensor), epsilon: 1e-3, tolerance: 2e-2, seed: seed
        ) { _ in block(x) }
        #expect(report.passed, "\(report)")
    }
}
