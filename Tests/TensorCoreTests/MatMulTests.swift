import IDATestSupport
import PropertyBased
import SeededRandom
import Testing
@testable import TensorCore

@Suite struct MatMulTests {
    @Test func knownValuesForATwoByTwoProduct() {
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let b = Tensor(shape: [2, 2], scalars: [5, 6, 7, 8])
        #expect(a.matmul(b).scalars == [19, 22, 43, 50])
        #expect(a.matmul(b, transposeOther: true).scalars == [17, 23, 39, 53])
    }

    @Test func emptyInnerDimensionGivesZerosAndEmptyOuterGivesNothing() {
        #expect(Tensor.zeros(shape: [2, 0]).matmul(Tensor.zeros(shape: [0, 3])).scalars == [0, 0, 0, 0, 0, 0])
        #expect(Tensor.zeros(shape: [0, 2]).matmul(Tensor.zeros(shape: [2, 3])).shape == [0, 3])
    }

    @Test func sharedWeightFoldsLeadingAxes() {
        let x = Tensor(shape: [2, 1, 3], scalars: [1, 2, 3, 4, 5, 6])
        let w = Tensor(shape: [3, 1], scalars: [1, 0, -1])
        let y = x.matmul(w)
        #expect(y.shape == [2, 1, 1])
        #expect(y.scalars == [-2, -2])
    }

    static let shapes: [(m: Int, k: Int, n: Int, seed: UInt64)] = [(1, 1, 1, 1), (2, 3, 4, 2), (5, 7, 3, 3), (33, 17, 9, 4)]

    @Test(arguments: shapes)
    func cblasEqualsTheReferenceMatmul(shape: (m: Int, k: Int, n: Int, seed: UInt64)) {
        for transposeB in [false, true] {
            let a = randomTensor([shape.m, shape.k], seed: shape.seed, requiresGradient: false)
            let b = randomTensor(transposeB ? [shape.n, shape.k] : [shape.k, shape.n], seed: shape.seed + 100, requiresGradient: false)
            let fast = a.matmul(b, transposeOther: transposeB)
            let reference = Tensor.zeros(shape: [shape.m, shape.n])
            referenceMatmulForward(out: reference.storage, a: a.storage, b: b.storage, m: shape.m, k: shape.k, n: shape.n, transposeB: transposeB)
            #expect(isClose(fast.scalars, reference.scalars, tolerance: 1e-5))
        }
    }

    static let gradientCases: [(seed: UInt64, aShape: [Int], bShape: [Int])] = [
        (1, [2, 3], [3, 4]), (2, [2, 3, 4], [4, 2]), (3, [2, 2, 3], [2, 3, 2]),
    ]

    @Test(arguments: gradientCases)
    func gradientMatchesCentralDifferences(seed: UInt64, aShape: [Int], bShape: [Int]) {
        let a = randomTensor(aShape, seed: seed), b = randomTensor(bShape, seed: seed + 7)
        let report = GradientCheck.run("matmul", inputs: [a, b], seed: seed) { $0[0].matmul($0[1]) }
        #expect(report.passed, "\(report)")
    }

    @Test(arguments: [1, 2] as [UInt64])
    func transposedGradientMatchesCentralDifferences(seed: UInt64) {
        let a = randomTensor([2, 3, 4], seed: seed), b = randomTensor([2, 5, 4], seed: seed + 7)
        let report = GradientCheck.run("matmulᵀ", inputs: [a, b], seed: seed) { $0[0].matmul($0[1], transposeOther: true) }
        #expect(report.passed, "\(report)")
    }

    @Test(arguments: [3, 4] as [UInt64])
    func agreesWithTheScalarOracle(seed: UInt64) {
        let a = randomTensor([3, 4], seed: seed), b = randomTensor([4, 2], seed: seed + 1)
        let projection = randomProjection(count: 6, seed: seed)
        let tensor = tapeValuesAndGradients([a, b], projection: projection) { $0[0].matmul($0[1]) }
        let sa = ScalarReference.leaves(a.scalars), sb = ScalarReference.leaves(b.scalars)
        let rowsA = (0..<3).map { Array(sa[($0 * 4)..<($0 * 4 + 4)]) }
        let rowsB = (0..<4).map { Array(sb[($0 * 2)..<($0 * 2 + 2)]) }
        let scalar = scalarValuesAndGradients([sa, sb], projection: projection, outputs: ScalarReference.matmul(rowsA, rowsB).flatMap { $0 })
        #expect(oracleAgrees(tensorResult: tensor, scalarResult: scalar))
    }

    @Test func selfProductAccumulatesBothOperandGradients() {
        // d/dx sum(x·x) for x (2, 2): dX = 1·xᵀ + xᵀ·1 (row and column sums).
        let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4], requiresGradient: true)
        let tape = Tape()
        let loss = tape.recording { x.matmul(x).sum() }
        tape.backward(loss)
        // dA[i,k] = Σ_n B[k,n] = row sums of x: [3, 7]; dB[k,n] = Σ_m A[m,k] = column sums: [4, 6].
        let expected: [Float] = [7, 11, 9, 13]
        #expect(x.gradient == expected)
    }

    @Test func distributesOverAddition() async {
        await propertyCheck(input: Gen.float(in: -3...3).array(of: 12)) { values in
            let a = Tensor(shape: [2, 2], scalars: Array(values[0..<4]))
            let b = Tensor(shape: [2, 2], scalars: Array(values[4..<8]))
            let c = Tensor(shape: [2, 2], scalars: Array(values[8..<12]))
            let left = a.matmul(b + c).scalars
            let right = (a.matmul(b) + a.matmul(c)).scalars
            #expect(isClose(left, right, tolerance: 1e-4))
        }
    }

    @Test func cblasEqualsTheReferenceForRandomShapes() async {
        await propertyCheck(input: Gen.int(in: 1...9), Gen.int(in: 1...9), Gen.int(in: 1...9), Gen.int(in: 0...1000)) { m, k, n, seed in
            let a = randomTensor([m, k], seed: UInt64(seed), requiresGradient: false)
            let b = randomTensor([k, n], seed: UInt64(seed) + 1, requiresGradient: false)
            let reference = Tensor.zeros(shape: [m, n])
            referenceMatmulForward(out: reference.storage, a: a.storage, b: b.storage, m: m, k: k, n: n, transposeB: false)
            // Any summation order stays within k·ε·Σ|a||b| of the exact product (the classic dot
            // product bound); the Double reference is exact to half an ulp. A cancelling sum can
            // exceed a bound relative to the result alone.
            let product = a.matmul(b).scalars
            for row in 0..<m {
                for column in 0..<n {
                    let magnitude = (0..<k).reduce(Float(0)) { $0 + abs(a.scalars[row * k + $1] * b.scalars[$1 * n + column]) }
                    let bound = 2 * Float(k) * Float.ulpOfOne * magnitude + reference.scalars[row * n + column].ulp
                    #expect(abs(product[row * n + column] - reference.scalars[row * n + column]) <= bound)
                }
            }
        }
    }

    @Test func rankOneOperandTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.zeros(shape: [3]).matmul(Tensor.zeros(shape: [3, 2])) }
    }

    @Test func innerDimensionMismatchTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros(shape: [2, 3]).matmul(Tensor.zeros(shape: [4, 2]))
        }
    }

    @Test func batchMismatchTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros(shape: [2, 2, 3]).matmul(Tensor.zeros(shape: [3, 3, 2]))
        }
    }
}
