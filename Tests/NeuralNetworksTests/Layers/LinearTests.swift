import IDATestSupport
import SeededRandom
import Testing
import TensorCore

@testable import NeuralNetworks

@Suite struct LinearTests {
    @Test(arguments: [1, 2] as [UInt64])
    func initialisesWithFanInVarianceAndZeroBias(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let layer = Linear(inputCount: 64, outputCount: 128, rng: &rng)
        let w = layer.weight.scalars
        let variance = w.map { $0 * $0 }.reduce(0, +) / Float(w.count)
        #expect(abs(variance - 1.0 / 64) < 0.1 / 64)
        #expect(layer.bias.scalars.allSatisfy { $0 == 0 })
        #expect(layer.parameters().map(\.key) == ["weight", "bias"])
    }

    static let cases: [(seed: UInt64, shape: [Int])] = [(3, [2, 3]), (4, [2, 2, 3])]

    @Test(arguments: cases)
    func gradientsMatchCentralDifferences(seed: UInt64, shape: [Int]) {
        var rng = SplitMix64(seed: seed)
        let layer = Linear(inputCount: 3, outputCount: 4, rng: &rng)
        let x = Tensor.uniform(shape: shape, in: -2...2, using: &rng, requiresGradient: true)
        let report = GradientCheck.run("Linear", inputs: [x, layer.weight, layer.bias], seed: seed) { _ in layer(x) }
        #expect(report.passed, "\(report)")
    }

    @Test func wrongInputWidthTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 1)
            _ = Linear(inputCount: 3, outputCount: 2, rng: &rng)(Tensor.zeros(shape: [1, 4]))
        }
    }
}
