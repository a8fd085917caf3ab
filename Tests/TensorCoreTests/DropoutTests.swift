import IDATestSupport
import SeededRandom
import Testing
@testable import TensorCore

@Suite struct DropoutTests {
    @Test func identityWhenNotTrainingOrProbabilityZero() {
        let x = Tensor(shape: [3], scalars: [1, 2, 3])
        var rng = SplitMix64(seed: 1)
        #expect(x.dropout(probability: 0.5, using: &rng, training: false) === x)
        #expect(x.dropout(probability: 0, using: &rng) === x)
        #expect(rng == SplitMix64(seed: 1))  // no numbers drawn
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func keepsAboutOneMinusPAndScalesKeptValues(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let out = Tensor(repeating: 1, shape: [10_000]).dropout(probability: 0.25, using: &rng).scalars
        let kept = out.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 1 / 0.75) < 1e-6 })
        #expect(abs(Float(kept.count) / 10_000 - 0.75) < 0.02)
        var again = SplitMix64(seed: seed)
        #expect(Tensor(repeating: 1, shape: [10_000]).dropout(probability: 0.25, using: &again).scalars == out)  // same seed, same mask
    }

    @Test(arguments: [1, 2] as [UInt64])
    func gradientMatchesCentralDifferences(seed: UInt64) {
        let x = randomTensor([2, 3, 4], seed: seed)
        let report = GradientCheck.run("dropout", inputs: [x], seed: seed) {
            var rng = SplitMix64(seed: seed)  // the same mask every evaluation
            return $0[0].dropout(probability: 0.3, using: &rng)
        }
        #expect(report.passed, "\(report)")
    }

    @Test func agreesWithTheScalarOracleUnderTheSameMask() {
        let x = randomTensor([2, 5], seed: 4)
        var maskRNG = SplitMix64(seed: 9)
        let mask = Tensor(repeating: 1, shape: [2, 5]).dropout(probability: 0.4, using: &maskRNG).scalars  // 0 or 1/0.6
        let projection = randomProjection(count: 10, seed: 4)
        let tensor = tapeValuesAndGradients([x], projection: projection) {
            var rng = SplitMix64(seed: 9)
            return $0[0].dropout(probability: 0.4, using: &rng).gelu()
        }
        let s = ScalarReference.leaves(x.scalars)
        let outputs = zip(s, mask).map { ($0 * Double($1)).gelu() }
        #expect(oracleAgrees(tensorResult: tensor, scalarResult: scalarValuesAndGradients([s], projection: projection, outputs: outputs)))
    }

    @Test func probabilityOfOneTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 1)
            _ = Tensor.zeros(shape: [2]).dropout(probability: 1, using: &rng)
        }
    }
}
