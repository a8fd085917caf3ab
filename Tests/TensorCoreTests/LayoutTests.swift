import IDATestSupport
import PropertyBased
import Testing
@testable import TensorCore

@Suite struct LayoutTests {
    @Test func knownValues() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(x.reshaped([3, -1]).shape == [3, 2])
        #expect(x.transposed().scalars == [1, 4, 2, 5, 3, 6])
        #expect(x.slice(axis: 1, range: 1..<3).scalars == [2, 3, 5, 6])
        #expect(x.slice(axis: 0, range: 1..<2).scalars == [4, 5, 6])
        let y = Tensor(shape: [2, 1], scalars: [7, 8])
        #expect(Tensor.concatenate([x, y], axis: -1).scalars == [1, 2, 3, 7, 4, 5, 6, 8])
        #expect(Tensor.concatenate([x, x], axis: 0).shape == [4, 3])
    }

    @Test func headSplitPermutationMovesHeadsBeforeTime() {
        // (B=1, T=2, NH=2, hs=2) → (B, NH, T, hs): head 0 gathers channels 0–1 of both times.
        let x = Tensor(shape: [1, 2, 4], scalars: [0, 1, 2, 3, 10, 11, 12, 13])
        let heads = x.reshaped([1, 2, 2, 2]).permuted([0, 2, 1, 3])
        #expect(heads.shape == [1, 2, 2, 2])
        #expect(heads.scalars == [0, 1, 10, 11, 2, 3, 12, 13])
        // And back.
        #expect(heads.permuted([0, 2, 1, 3]).reshaped([1, 2, 4]).scalars == x.scalars)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func gradientsMatchCentralDifferences(seed: UInt64) {
        let x = randomTensor([2, 3, 4], seed: seed), y = randomTensor([2, 3, 2], seed: seed + 1), z = randomTensor([1, 3, 4], seed: seed + 2)
        let cases: [(String, [Tensor], ([Tensor]) -> Tensor)] = [
            ("reshape", [x], { $0[0].reshaped([4, 6]) }),
            ("transpose", [x], { $0[0].transposed() }),
            ("permute", [x], { $0[0].reshaped([2, 3, 2, 2]).permuted([0, 2, 1, 3]) }),
            ("slice", [x], { $0[0].slice(axis: 2, range: 1..<3) }),
            ("concat last", [x, y], { Tensor.concatenate([$0[0], $0[1]], axis: -1) }),
            ("concat first", [x, z], { Tensor.concatenate([$0[0], $0[1]], axis: 0) }),
            ("concat shared", [x], { Tensor.concatenate([$0[0], $0[0] * 2], axis: 1) }),
        ]
        for (name, inputs, op) in cases {
            let report = GradientCheck.run(name, inputs: inputs, seed: seed, op)
            #expect(report.passed, "\(report)")
        }
    }

    @Test func agreesWithTheScalarOracle() {
        let x = randomTensor([2, 3], seed: 4)
        let projection = randomProjection(count: 6, seed: 4)
        let tensor = tapeValuesAndGradients([x], projection: projection) { t in
            Tensor.concatenate([t[0].transposed().slice(axis: 0, range: 1..<3), t[0].slice(axis: 0, range: 0..<1).slice(axis: 1, range: 0..<2)], axis: 0)
        }
        let s = ScalarReference.leaves(x.scalars)
        // transpose rows 1..<3: [[x01, x11], [x02, x12]], then [x00, x01].
        let outputs = [s[1], s[4], s[2], s[5], s[0], s[1]].map { $0 * 1 }
        #expect(oracleAgrees(tensorResult: tensor, scalarResult: scalarValuesAndGradients([s], projection: projection, outputs: outputs)))
    }

    @Test func permutingThenInvertingAndConcatenatingThenSlicingRoundTrip() async {
        let orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
        await propertyCheck(input: Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.int(in: 0...5)) { a, b, c, orderIndex in
            let x = randomTensor([a, b, c], seed: UInt64(a * 100 + b * 10 + c), requiresGradient: false)
            let order = orders[orderIndex]
            var inverse = [0, 0, 0]
            for (position, axis) in order.enumerated() { inverse[axis] = position }
            #expect(x.permuted(order).permuted(inverse).scalars == x.scalars)
            let y = randomTensor([a, b, 2], seed: 7, requiresGradient: false)
            let joined = Tensor.concatenate([x, y], axis: 2)
            #expect(joined.slice(axis: 2, range: 0..<c).scalars == x.scalars)
            #expect(joined.slice(axis: 2, range: c..<(c + 2)).scalars == y.scalars)
        }
    }

    /// Writing a piece in place leaves the tensor equal to the concatenation of what was before
    /// the window, the piece, and what was after it, along any axis.
    @Test func writingInPlaceEqualsConcatenatingAroundTheWindow() async {
        await propertyCheck(input: Gen.int(in: 1...3), Gen.int(in: 1...4), Gen.int(in: 0...2), Gen.int(in: 0...4)) { a, b, axis, start in
            let shape = [a, 5, b].enumerated().map { $0.offset == axis ? 5 : $0.element }
            let x = randomTensor(shape, seed: UInt64(a * 10 + b), requiresGradient: false)
            let width = min(2, 5 - start)
            var pieceShape = shape
            pieceShape[axis] = width
            let piece = randomTensor(pieceShape, seed: 3, range: 10...20, requiresGradient: false)
            let expected = Tensor.concatenate(
                [x.slice(axis: axis, range: 0..<start), piece, x.slice(axis: axis, range: (start + width)..<5)], axis: axis)
            x.write(piece, at: start, axis: axis)
            #expect(x.scalars == expected.scalars)
        }
    }

    @Test func writingPastTheAxisTraps() async {
        await #expect(processExitsWith: .failure) { Tensor.zeros(shape: [2, 3]).write(Tensor.zeros(shape: [2, 2]), at: 2, axis: 1) }
    }

    @Test func reshapeToADifferentCountTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.zeros(shape: [2, 3]).reshaped([4, 2]) }
    }

    @Test func uninferableReshapeTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.zeros(shape: [2, 3]).reshaped([4, -1]) }
    }

    @Test func transposingAVectorTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.zeros(shape: [3]).transposed() }
    }

    @Test func concatenatingNothingTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.concatenate([], axis: 0) }
    }

    @Test func badPermutationTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.zeros(shape: [2, 3]).permuted([0, 0]) }
    }

    @Test func sliceOutsideTheAxisTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.zeros(shape: [2, 3]).slice(axis: 1, range: 2..<4) }
    }

    @Test func concatenatingMismatchedShapesTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.concatenate([Tensor.zeros(shape: [2, 3]), Tensor.zeros(shape: [3, 3])], axis: 1)
        }
    }
}
