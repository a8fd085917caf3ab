import IDATestSupport
import SeededRandom
import Testing
import TensorCore

@testable import NeuralNetworks

@Suite struct LayerNormTests {
    @Test func startsAsPlainNormalisation() {
        let norm = LayerNorm(dimension: 4)
        let out = norm(Tensor(shape: [1, 4], scalars: [1, 2, 3, 4])).scalars
        let mean = out.reduce(0, +) / 4
        #expect(abs(mean) < 1e-6)
        #expect(abs(out.map { $0 * $0 }.reduce(0, +) / 4 - 1) < 1e-4)
        #expect(norm.parameters().map(\.key) == ["weight", "bias"])
    }

    @Test(arguments: [1, 2] as [UInt64])
    func gradientsMatchCentralDifferences(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let norm = LayerNorm(dimension: 5)
        let x = Tensor.uniform(shape: [3, 5], in: -2...2, using: &rng, requiresGradient: true)
        let report = GradientCheck.run("LayerNorm", inputs: [x, norm.weight, norm.bias], seed: seed) { _ in norm(x) }
        #expect(report.passed, "\(report)")
    }
}
