import IDATestSupport
import PropertyBased
import Testing
@testable import TensorCore

@Suite struct LayerNormTests {
    @Test func knownValues() {
        let x = Tensor(shape: [1, 4], scalars: [1, 2, 3, 4])
        let out = x.layerNorm(weight: Tensor(repeating: 1, shape: [4]), bias: Tensor(repeating: 0, shape: [4]), epsilon: 0)
        // mean 2.5, variance 1.25: (x − 2.5)/√1.25.
        #expect(isClose(out.scalars, [-1.341641, -0.447214, 0.447214, 1.341641], tolerance: 1e-5))
        let affine = x.layerNorm(weight: Tensor(repeating: 2, shape: [4]), bias: Tensor(repeating: 1, shape: [4]), epsilon: 0)
        #expect(isClose(affine.scalars, [-1.683282, 0.105573, 1.894427, 3.683282], tolerance: 1e-5))
    }

    static let cases: [(seed: UInt64, shape: [Int])] = [(1, [2, 3, 4]), (2, [3, 5]), (3, [1, 8])]

    @Test(arguments: cases)
    func gradientsMatchCentralDifferences(seed: UInt64, shape: [Int]) {
        let x = randomTensor(shape, seed: seed)
        let c = shape[shape.count - 1]
        let weight = randomTensor([c], seed: seed + 1), bias = randomTensor([c], seed: seed + 2)
        let report = GradientCheck.run("layerNorm", inputs: [x, weight, bias], seed: seed) {
            $0[0].layerNorm(weight: $0[1], bias: $0[2])
        }
        #expect(report.passed, "\(report)")
    }

    @Test(arguments: [4, 5] as [UInt64])
    func agreesWithTheScalarOracle(seed: UInt64) {
        let x = randomTensor([2, 3], seed: seed), weight = randomTensor([3], seed: seed + 1), bias = randomTensor([3], seed: seed + 2)
        let projection = randomProjection(count: 6, seed: seed)
        let tensor = tapeValuesAndGradients([x, weight, bias], projection: projection) { $0[0].layerNorm(weight: $0[1], bias: $0[2]) }
        let sx = ScalarReference.leaves(x.scalars), sw = ScalarReference.leaves(weight.scalars), sb = ScalarReference.leaves(bias.scalars)
        let outputs = (0..<2).flatMap { row in
            ScalarReference.layerNorm(Array(sx[(row * 3)..<(row * 3 + 3)]), weight: sw, bias: sb, epsilon: 1e-5)
        }
        #expect(oracleAgrees(tensorResult: tensor, scalarResult: scalarValuesAndGradients([sx, sw, sb], projection: projection, outputs: outputs)))
    }

    @Test func outputHasZeroMeanAndUnitVariance() async {
        await propertyCheck(input: Gen.float(in: -10...10).array(of: 8)) { values in
            guard (values.max() ?? 0) - (values.min() ?? 0) > 0.5 else { return }  // skip near-constant rows
            let out = Tensor(shape: [1, 8], scalars: values)
                .layerNorm(weight: Tensor(repeating: 1, shape: [8]), bias: Tensor.zeros(shape: [8]), epsilon: 1e-6).scalars
            let mean = out.reduce(0, +) / 8
            let variance = out.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 8
            #expect(abs(mean) < 1e-4)
            #expect(abs(variance - 1) < 1e-3)
        }
    }

    @Test func wrongWeightShapeTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros(shape: [2, 4]).layerNorm(weight: Tensor.zeros(shape: [3]), bias: Tensor.zeros(shape: [4]))
        }
    }
}
