import IDATestSupport
import Testing
@testable import TensorCore

@Suite struct LogSumExpTests {
    @Test func knownValues() {
        let x = Tensor(shape: [2, 2], scalars: [0, 0, 1, 2])
        #expect(isClose(x.logSumExp().scalars, [0.693147, 2.313262], tolerance: 1e-5))
        #expect(isClose(x.logSumExp(axis: 0, keepingAxis: true).scalars, [1.313262, 2.126928], tolerance: 1e-5))
        let a = Tensor(shape: [2], scalars: [0, -.infinity]), b = Tensor(shape: [2], scalars: [0, -.infinity])
        let mixed = Tensor.logSumExp([a, b]).scalars
        #expect(isClose([mixed[0]], [0.693147], tolerance: 1e-5))
        #expect(mixed[1] == -.infinity)
    }

    @Test(arguments: [(1, [2, 3, 4]), (2, [5, 2])] as [(UInt64, [Int])])
    func gradientsMatchCentralDifferences(seed: UInt64, shape: [Int]) {
        let x = randomTensor(shape, seed: seed)
        for axis in 0..<shape.count {
            let report = GradientCheck.run("logSumExp(axis: \(axis))", inputs: [x], seed: seed) { $0[0].logSumExp(axis: axis) }
            #expect(report.passed, "\(report)")
        }
        let y = randomTensor(shape, seed: seed + 1), z = randomTensor(shape, seed: seed + 2)
        let list = GradientCheck.run("logSumExp([x, y, z])", inputs: [x, y, z], seed: seed) { Tensor.logSumExp($0) }
        #expect(list.passed, "\(list)")
    }

    @Test func agreesWithTheScalarOracle() {
        let x = randomTensor([2, 3], seed: 6), y = randomTensor([2, 3], seed: 7)
        let projection = randomProjection(count: 6, seed: 6)
        let tensor = tapeValuesAndGradients([x, y], projection: projection) { Tensor.logSumExp([$0[0], $0[1], $0[0].logSoftmax()]) }
        let sx = ScalarReference.leaves(x.scalars), sy = ScalarReference.leaves(y.scalars)
        let outputs = (0..<6).map { i -> ScalarReference in
            let row = Array(sx[(i / 3 * 3)..<(i / 3 * 3 + 3)])
            return ScalarReference.logSumExp([sx[i], sy[i], sx[i] - ScalarReference.logSumExp(row)])
        }
        #expect(oracleAgrees(tensorResult: tensor, scalarResult: scalarValuesAndGradients([sx, sy], projection: projection, outputs: outputs)))
    }

    @Test func sharedTensorInTheListAccumulates() {
        let x = Tensor(shape: [1], scalars: [0.5], requiresGradient: true)
        let tape = Tape()
        tape.backward(tape.recording { Tensor.logSumExp([x, x]).sum() })
        // log(2eˣ) = x + log 2, derivative 1 (½ from each copy).
        #expect(isClose(x.gradient ?? [], [1], tolerance: 1e-6))
    }

    @Test func emptyListTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.logSumExp([]) }
    }

    @Test func differentShapesTrap() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.logSumExp([Tensor.zeros(shape: [2]), Tensor.zeros(shape: [3])]) }
    }
}
