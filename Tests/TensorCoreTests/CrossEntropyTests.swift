import IDATestSupport
import PropertyBased
import Testing
@testable import TensorCore

@Suite struct CrossEntropyTests {
    @Test func knownValues() {
        let logits = Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, 0, 0])
        // Row 0: −log softmax[2] = 0.407606; row 1 uniform: log 3 = 1.098612.
        #expect(isClose(logits.crossEntropy(targets: [2, 1]).scalars, [(0.407606 + 1.098612) / 2], tolerance: 1e-5))
        #expect(isClose(logits.crossEntropy(targets: [2, -1]).scalars, [0.407606], tolerance: 1e-5))
        #expect(isClose(logits.crossEntropy(targets: [2, 1], weights: [0, 1]).scalars, [1.098612], tolerance: 1e-5))
        #expect(logits.crossEntropy(targets: [-1, -1]).scalars == [0])
        #expect(Tensor.zeros(shape: [0, 3]).crossEntropy(targets: []).scalars == [0])
        #expect(Tensor.zeros(shape: [0, 3]).negativeLogLikelihood(targets: []).scalars == [0])
        let logProbabilities = Tensor(shape: [2, 2], scalars: [-0.1, -2.3, -1.2, -0.4])
        #expect(isClose(logProbabilities.negativeLogLikelihood(targets: [1, 0]).scalars, [1.75], tolerance: 1e-6))
    }

    static let cases: [(seed: UInt64, shape: [Int], targets: [Int], weights: [Float]?)] = [
        (1, [2, 3, 4], [0, 3, 2, 1, 1, -1], nil),
        (2, [3, 5], [4, 0, 2], [1, 0.5, 2]),
        (3, [4, 2], [1, 1, 0, 1], [0, 1, 1, 0]),
    ]

    @Test(arguments: cases)
    func gradientsMatchCentralDifferences(seed: UInt64, shape: [Int], targets: [Int], weights: [Float]?) {
        let logits = randomTensor(shape, seed: seed)
        let report = GradientCheck.run("crossEntropy", inputs: [logits], seed: seed) { $0[0].crossEntropy(targets: targets, weights: weights) }
        #expect(report.passed, "\(report)")
        let nll = GradientCheck.run("nll∘logSoftmax", inputs: [logits], seed: seed) {
            $0[0].logSoftmax().negativeLogLikelihood(targets: targets, weights: weights)
        }
        #expect(nll.passed, "\(nll)")
    }

    @Test(arguments: cases)
    func agreesWithTheScalarOracle(seed: UInt64, shape: [Int], targets: [Int], weights: [Float]?) {
        let logits = randomTensor(shape, seed: seed)
        let classes = shape[shape.count - 1]
        let tensor = tapeValuesAndGradients([logits], projection: [1.7]) { $0[0].crossEntropy(targets: targets, weights: weights) }
        let s = ScalarReference.leaves(logits.scalars)
        var terms: [ScalarReference] = []
        var total = 0.0
        for (n, target) in targets.enumerated() where target >= 0 {
            let w = Double(weights?[n] ?? 1)
            guard w > 0 else { continue }
            let row = Array(s[(n * classes)..<((n + 1) * classes)])
            terms.append((ScalarReference.logSumExp(row) - row[target]) * w)
            total += w
        }
        let loss = ScalarReference.sum(terms) * (1 / total)
        #expect(oracleAgrees(tensorResult: tensor, scalarResult: scalarValuesAndGradients([s], projection: [1.7], outputs: [loss])))
    }

    @Test(arguments: [7, 8] as [UInt64])
    func negativeLogLikelihoodAgreesWithTheScalarOracle(seed: UInt64) {
        let logProbabilities = randomTensor([3, 4], seed: seed)
        let targets = [3, -1, 0], weights: [Float] = [2, 1, 0.5]
        let tensor = tapeValuesAndGradients([logProbabilities], projection: [0.9]) {
            $0[0].negativeLogLikelihood(targets: targets, weights: weights)
        }
        let s = ScalarReference.leaves(logProbabilities.scalars)
        let loss = (s[3] * 2 + s[8] * 0.5) * (-1 / 2.5)
        #expect(oracleAgrees(tensorResult: tensor, scalarResult: scalarValuesAndGradients([s], projection: [0.9], outputs: [loss])))
    }

    @Test func isNonNegativeAndLogVForUniformLogits() async {
        await propertyCheck(input: Gen.float(in: -8...8).array(of: 12), Gen.int(in: 0...3)) { values, target in
            let loss = Tensor(shape: [3, 4], scalars: values).crossEntropy(targets: [target, 3 - target, 0]).item
            #expect(loss >= 0)
            let uniform = Tensor(repeating: values[0], shape: [3, 4]).crossEntropy(targets: [target, target, 1]).item
            #expect(abs(uniform - Float(4).naturalLogarithm) < 1e-5)
        }
    }

    @Test func targetOutOfRangeTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.zeros(shape: [2, 3]).crossEntropy(targets: [0, 3]) }
    }

    @Test func targetCountMismatchTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.zeros(shape: [2, 3]).crossEntropy(targets: [0]) }
    }

    @Test func weightCountMismatchTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.zeros(shape: [2, 3]).negativeLogLikelihood(targets: [0, 1], weights: [1]) }
    }

    @Test func negativeWeightTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.zeros(shape: [2, 3]).crossEntropy(targets: [0, 1], weights: [1, -1]) }
    }
}

extension Float {
    /// ln self through the Double scalar engine.
    fileprivate var naturalLogarithm: Float { Float(ScalarReference(Double(self)).log().value) }
}
