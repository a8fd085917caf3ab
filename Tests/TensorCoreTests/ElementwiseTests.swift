import IDATestSupport
import Testing
@testable import TensorCore

@Suite struct ElementwiseTests {
    @Test func knownValuesForArithmeticAndBroadcasting() {
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let bias = Tensor(shape: [2], scalars: [10, 20])
        let column = Tensor(shape: [2, 1], scalars: [2, 3])
        #expect((a + bias).scalars == [11, 22, 13, 24])
        #expect((a - bias).scalars == [-9, -18, -7, -16])
        #expect((a * column).scalars == [2, 4, 9, 12])
        #expect((bias + a).scalars == [11, 22, 13, 24])
        #expect((a * 2).scalars == [2, 4, 6, 8])
        #expect((a + 1).scalars == [2, 3, 4, 5])
        #expect((-a).scalars == [-1, -2, -3, -4])
        // (2, 1) against (1, 3): outer broadcast through the index table.
        let row = Tensor(shape: [1, 3], scalars: [1, 2, 3])
        #expect((column * row).scalars == [2, 4, 6, 3, 6, 9])
    }

    @Test func knownValuesForActivations() {
        let x = Tensor(shape: [4], scalars: [-1, 0, 0.5, 2])
        #expect(x.relu().scalars == [0, 0, 0.5, 2])
        // GELU reference values (tanh form) from the formula in Double.
        #expect(isClose(x.gelu().scalars, [-0.158808, 0, 0.345714, 1.954598], tolerance: 1e-5))
        #expect(isClose(x.exp().scalars, [0.367879, 1, 1.648721, 7.389056], tolerance: 1e-5))
        #expect(isClose(Tensor(shape: [2], scalars: [1, 4]).log().scalars, [0, 1.386294], tolerance: 1e-5))
        #expect(isClose(x.sigmoid().scalars, [0.268941, 0.5, 0.622459, 0.880797], tolerance: 1e-5))
        #expect(isClose(x.tanh().scalars, [-0.761594, 0, 0.462117, 0.964028], tolerance: 1e-5))
    }

    static let shapePairs: [(seed: UInt64, a: [Int], b: [Int])] = [
        (1, [2, 3], [2, 3]), (2, [2, 3, 4], [4]), (3, [2, 3, 4], [3, 4]), (4, [2, 3, 1], [2, 3, 4]), (5, [3, 1], [1, 4]),
    ]

    @Test(arguments: shapePairs)
    func binaryGradientsMatchCentralDifferences(seed: UInt64, a aShape: [Int], b bShape: [Int]) {
        let a = randomTensor(aShape, seed: seed), b = randomTensor(bShape, seed: seed + 50)
        for (name, op) in [("add", { (x: Tensor, y: Tensor) in x + y }), ("sub", { $0 - $1 }), ("mul", { $0 * $1 })] {
            let report = GradientCheck.run(name, inputs: [a, b], seed: seed) { op($0[0], $0[1]) }
            #expect(report.passed, "\(report)")
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func unaryGradientsMatchCentralDifferences(seed: UInt64) {
        // Values kept away from ReLU's kink at 0.
        let x = randomTensor([2, 3, 4], seed: seed)
        x.withUnsafeMutableBuffer { values in
            for i in values.indices where abs(values[i]) < 0.1 { values[i] += 0.3 }
        }
        let positive = randomTensor([3, 4], seed: seed, range: 0.5...3)
        let cases: [(String, Tensor, (Tensor) -> Tensor)] = [
            ("relu", x, { $0.relu() }), ("gelu", x, { $0.gelu() }), ("exp", x, { $0.exp() }),
            ("log", positive, { $0.log() }), ("sigmoid", x, { $0.sigmoid() }), ("tanh", x, { $0.tanh() }),
            ("scale", x, { $0 * 1.5 }), ("shift", x, { $0 + 2 }), ("negate", x, { -$0 }),
        ]
        for (name, input, op) in cases {
            let report = GradientCheck.run(name, inputs: [input], seed: seed) { op($0[0]) }
            #expect(report.passed, "\(report)")
        }
    }

    @Test(arguments: [1, 2] as [UInt64])
    func agreesWithTheScalarOracle(seed: UInt64) {
        // gelu(a * b + bias) · tanh(a) with a bias broadcast over rows.
        let a = randomTensor([2, 3], seed: seed), b = randomTensor([2, 3], seed: seed + 1), bias = randomTensor([3], seed: seed + 2)
        let projection = randomProjection(count: 6, seed: seed)
        let tensor = tapeValuesAndGradients([a, b, bias], projection: projection) { t in
            (t[0] * t[1] + t[2]).gelu() * t[0].tanh() - t[1].sigmoid() + t[0].exp().log() + (t[1] * 1.5).relu()
        }
        let sa = ScalarReference.leaves(a.scalars), sb = ScalarReference.leaves(b.scalars), sc = ScalarReference.leaves(bias.scalars)
        let outputs = (0..<6).map { i -> ScalarReference in
            let sigmoid = ScalarReference(1) / ((-sb[i]).exp() + 1)
            let gated = (sa[i] * sb[i] + sc[i % 3]).gelu() * sa[i].tanh()
            return gated - sigmoid + sa[i].exp().log() + (sb[i] * 1.5).relu()
        }
        let scalar = scalarValuesAndGradients([sa, sb, sc], projection: projection, outputs: outputs)
        #expect(oracleAgrees(tensorResult: tensor, scalarResult: scalar))
    }

    @Test func squaringAccumulatesTwiceTheInput() {
        let x = Tensor(shape: [3], scalars: [1, -2, 3], requiresGradient: true)
        let tape = Tape()
        tape.backward(tape.recording { (x * x).sum() })
        #expect(x.gradient == [2, -4, 6])
    }

    @Test func sharedInputsSumTheirGradients() {
        let x = Tensor(shape: [2], scalars: [1, 2], requiresGradient: true)
        let tape = Tape()
        tape.backward(tape.recording { (x * 3 + x.exp()).sum() })
        #expect(isClose(x.gradient ?? [], [3 + 2.718282, 3 + 7.389056], tolerance: 1e-5))
        x.zeroGradient()
        #expect(x.gradient == [0, 0])
    }

    @Test func mismatchedShapesTrap() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros(shape: [2, 3]) + Tensor.zeros(shape: [2, 4])
        }
    }
}
