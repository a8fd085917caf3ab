import IDATestSupport
import Testing
@testable import TensorCore

@Suite struct ReductionTests {
    @Test func knownValues() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(x.sum().scalars == [21])
        #expect(x.mean().scalars == [3.5])
        #expect(x.sum(axis: 0).scalars == [5, 7, 9])
        #expect(x.sum(axis: -1).scalars == [6, 15])
        #expect(x.mean(axis: 1, keepingAxis: true).shape == [2, 1])
        #expect(x.mean(axis: 1).scalars == [2, 5])
    }

    @Test(arguments: [(1, [2, 3, 4]), (2, [5]), (3, [3, 1, 2])] as [(UInt64, [Int])])
    func gradientsMatchCentralDifferences(seed: UInt64, shape: [Int]) {
        let x = randomTensor(shape, seed: seed)
        for axis in 0..<shape.count {
            let report = GradientCheck.run("sum(axis: \(axis))", inputs: [x], seed: seed) { $0[0].sum(axis: axis) }
            #expect(report.passed, "\(report)")
            let meanReport = GradientCheck.run("mean(axis: \(axis))", inputs: [x], seed: seed) { $0[0].mean(axis: axis, keepingAxis: true) }
            #expect(meanReport.passed, "\(meanReport)")
        }
        let all = GradientCheck.run("mean", inputs: [x], seed: seed) { $0[0].mean() }
        #expect(all.passed, "\(all)")
    }

    @Test func agreesWithTheScalarOracle() {
        let x = randomTensor([2, 3], seed: 9)
        let projection = randomProjection(count: 3, seed: 9)
        let tensor = tapeValuesAndGradients([x], projection: projection) { ($0[0] * $0[0]).mean(axis: 0) }
        let s = ScalarReference.leaves(x.scalars)
        let outputs = (0..<3).map { (j: Int) -> ScalarReference in
            let top: ScalarReference = s[j] * s[j]
            let bottom: ScalarReference = s[3 + j] * s[3 + j]
            return (top + bottom) * 0.5
        }
        #expect(oracleAgrees(tensorResult: tensor, scalarResult: scalarValuesAndGradients([s], projection: projection, outputs: outputs)))
    }

    @Test func axisOutOfRangeTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros(shape: [2, 3]).sum(axis: 2)
        }
    }
}
