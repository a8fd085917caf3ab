import IDATestSupport
import Testing
@testable import TensorCore

@Suite struct EmbeddingTests {
    @Test func knownValuesGatherRows() {
        let table = Tensor(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21])
        let out = table.embedding(tokens: [2, 0, 2, 1], shape: [2, 2])
        #expect(out.shape == [2, 2, 2])
        #expect(out.scalars == [20, 21, 0, 1, 20, 21, 10, 11])
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func gradientMatchesCentralDifferences(seed: UInt64) {
        let table = randomTensor([5, 3], seed: seed)
        let tokens = [4, 1, 1, 0, 3, 4]  // repeated ids accumulate
        let report = GradientCheck.run("embedding", inputs: [table], seed: seed) { $0[0].embedding(tokens: tokens, shape: [2, 3]) }
        #expect(report.passed, "\(report)")
    }

    @Test func repeatedTokensAccumulateAndTheScalarOracleAgrees() {
        let table = randomTensor([4, 2], seed: 5)
        let tokens = [3, 3, 0]
        let projection = randomProjection(count: 6, seed: 5)
        let tensor = tapeValuesAndGradients([table], projection: projection) { $0[0].embedding(tokens: tokens, shape: [3]) }
        let s = ScalarReference.leaves(table.scalars)
        let outputs = tokens.flatMap { t in [s[t * 2] * 1, s[t * 2 + 1] * 1] }
        #expect(oracleAgrees(tensorResult: tensor, scalarResult: scalarValuesAndGradients([s], projection: projection, outputs: outputs)))
        #expect(tensor.gradients[0][2...5].allSatisfy { $0 == 0 })  // rows 1 and 2 unused
    }

    @Test func outOfRangeTokenTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros(shape: [3, 2]).embedding(tokens: [0, 3], shape: [2])
        }
    }

    @Test func tableOfRankThreeTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.zeros(shape: [3, 2, 1]).embedding(tokens: [0], shape: [1]) }
    }

    @Test func tokenCountNotFillingTheShapeTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.zeros(shape: [3, 2]).embedding(tokens: [0, 1], shape: [3]) }
    }

    @Test func negativeTokenTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros(shape: [3, 2]).embedding(tokens: [-1], shape: [1])
        }
    }
}
