import IDATestSupport
import PropertyBased
import Testing
@testable import TensorCore

@Suite struct SoftmaxTests {
    @Test func knownValues() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, 0, -Float.infinity])
        #expect(isClose(x.softmax().scalars, [0.090031, 0.244728, 0.665241, 0.5, 0.5, 0], tolerance: 1e-5))
        #expect(isClose(Tensor(shape: [3], scalars: [1, 2, 3]).logSoftmax().scalars, [-2.407606, -1.407606, -0.407606], tolerance: 1e-5))
        #expect(Tensor(repeating: -.infinity, shape: [2]).softmax().scalars == [0, 0])
    }

    @Test(arguments: [(1, [2, 3, 4]), (2, [3, 7]), (3, [1, 2])] as [(UInt64, [Int])])
    func gradientsMatchCentralDifferences(seed: UInt64, shape: [Int]) {
        let x = randomTensor(shape, seed: seed)
        let report = GradientCheck.run("softmax", inputs: [x], seed: seed) { $0[0].softmax() }
        #expect(report.passed, "\(report)")
        let logReport = GradientCheck.run("logSoftmax", inputs: [x], seed: seed) { $0[0].logSoftmax() }
        #expect(logReport.passed, "\(logReport)")
    }

    @Test(arguments: [4, 5] as [UInt64])
    func agreesWithTheScalarOracle(seed: UInt64) {
        let x = randomTensor([2, 4], seed: seed)
        let projection = randomProjection(count: 8, seed: seed)
        let s = ScalarReference.leaves(x.scalars)
        let rows = (0..<2).map { Array(s[($0 * 4)..<($0 * 4 + 4)]) }
        let tensor = tapeValuesAndGradients([x], projection: projection) { $0[0].softmax() }
        let scalar = scalarValuesAndGradients([s], projection: projection, outputs: rows.flatMap(ScalarReference.softmax))
        #expect(oracleAgrees(tensorResult: tensor, scalarResult: scalar))

        let s2 = ScalarReference.leaves(x.scalars)
        let rows2 = (0..<2).map { Array(s2[($0 * 4)..<($0 * 4 + 4)]) }
        let logTensor = tapeValuesAndGradients([x], projection: projection) { $0[0].logSoftmax() }
        let logOutputs = rows2.flatMap { row in row.map { $0 - ScalarReference.logSumExp(row) } }
        #expect(oracleAgrees(tensorResult: logTensor, scalarResult: scalarValuesAndGradients([s2], projection: projection, outputs: logOutputs)))
    }

    @Test func rowsSumToOneAndShiftsDoNotMatter() async {
        await propertyCheck(input: Gen.float(in: -20...20).array(of: 1...16), Gen.float(in: -50...50)) { values, shift in
            let x = Tensor(shape: [values.count], scalars: values)
            let probabilities = x.softmax().scalars
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)
            #expect(isClose((x + shift).softmax().scalars, probabilities, tolerance: 1e-4))
        }
    }
}
