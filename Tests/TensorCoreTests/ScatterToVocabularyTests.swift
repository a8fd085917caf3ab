import IDATestSupport
import Testing
@testable import TensorCore

@Suite struct ScatterToVocabularyTests {
    @Test func knownValuesSumWeightsOfEqualTokens() {
        // B=1, Q=2, F=3; fact tokens [2, 0, 2], vocabulary 4.
        let weights = Tensor(shape: [1, 2, 3], scalars: [0.5, 0.3, 0.2, 0.1, 0.1, 0.8])
        let out = weights.scatterToVocabulary(tokens: [2, 0, 2], vocabularySize: 4)
        #expect(out.shape == [1, 2, 4])
        #expect(isClose(out.scalars, [0.3, 0, 0.7, 0, 0.1, 0, 0.9, 0], tolerance: 1e-6))
        let padded = weights.scatterToVocabulary(tokens: [2, -1, 1], vocabularySize: 3).scalars
        #expect(isClose(padded, [0, 0.2, 0.5, 0, 0.8, 0.1], tolerance: 1e-6))
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func gradientMatchesCentralDifferences(seed: UInt64) {
        let weights = randomTensor([2, 3, 4], seed: seed)
        let tokens = [1, 4, 1, -1, 0, 0, 2, 3]
        let report = GradientCheck.run("scatterToVocabulary", inputs: [weights], seed: seed) {
            $0[0].scatterToVocabulary(tokens: tokens, vocabularySize: 5)
        }
        #expect(report.passed, "\(report)")
    }

    @Test func copyDistributionThroughSoftmaxAgreesWithTheScalarOracle() {
        let scores = randomTensor([1, 2, 3], seed: 4)
        let tokens = [1, 1, 0]
        let projection = randomProjection(count: 6, seed: 4)
        let tensor = tapeValuesAndGradients([scores], projection: projection) {
            $0[0].softmax().scatterToVocabulary(tokens: tokens, vocabularySize: 3)
        }
        let s = ScalarReference.leaves(scores.scalars)
        let outputs = (0..<2).flatMap { q -> [ScalarReference] in
            let alpha = ScalarReference.softmax(Array(s[(q * 3)..<(q * 3 + 3)]))
            return [alpha[2] * 1, alpha[0] + alpha[1], ScalarReference(0)]
        }
        #expect(oracleAgrees(tensorResult: tensor, scalarResult: scalarValuesAndGradients([s], projection: projection, outputs: outputs)))
    }

    @Test func tokenOutsideTheVocabularyTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros(shape: [1, 1, 2]).scatterToVocabulary(tokens: [0, 5], vocabularySize: 5)
        }
    }

    @Test func weightsOfRankTwoTrap() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.zeros(shape: [1, 2]).scatterToVocabulary(tokens: [0, 1], vocabularySize: 5) }
    }

    @Test func tokenTableOfTheWrongSizeTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros(shape: [1, 1, 2]).scatterToVocabulary(tokens: [0], vocabularySize: 5)
        }
    }
}
