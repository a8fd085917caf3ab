import IDATestSupport
import SeededRandom
import Testing
@testable import TensorCore

@Suite struct AttentionTests {
    @Test func knownValuesForOneHeadWithTwoKeys() {
        // q·k / √2: scores [1/√2·1, 0]; att = softmax → out = att · V.
        let q = Tensor(shape: [1, 1, 2], scalars: [1, 0])
        let k = Tensor(shape: [1, 2, 2], scalars: [1, 0, 0, 1])
        let v = Tensor(shape: [1, 2, 2], scalars: [10, 0, 0, 10])
        let out = Tensor.attention(query: q, key: k, value: v, heads: 1)
        let a = 1 / (1 + Float(-1 / Float(2).squareRoot()).exponential)
        #expect(isClose(out.scalars, [10 * a, 10 * (1 - a)], tolerance: 1e-5))
    }

    @Test func causalMaskAndPaddingMaskHideKeys() {
        let x = Tensor(shape: [1, 3, 2], scalars: [1, 0, 0, 1, 1, 1])
        let v = Tensor(shape: [1, 3, 2], scalars: [1, 0, 0, 1, 5, 5])
        let causal = Tensor.attention(query: x, key: x, value: v, heads: 1, causal: true)
        #expect(Array(causal.scalars[0..<2]) == [1, 0])  // the first query sees only the first key
        let padding = Tensor.attentionMask(keep: [true, true, false], shape: [1, 1, 3])
        let masked = Tensor.attention(query: x, key: x, value: v, mask: padding, heads: 1)
        #expect(masked.scalars.allSatisfy { $0 <= 1 })  // value row 2 (5, 5) never mixes in
        let none = Tensor.attentionMask(keep: [false, false, false], shape: [3])
        #expect(Tensor.attention(query: x, key: x, value: v, mask: none, heads: 1).scalars.allSatisfy { $0 == 0 })
    }

    struct Case: Sendable, CustomStringConvertible {
        var seed: UInt64, batch: Int, queryLength: Int, keyLength: Int, channels: Int, heads: Int, causal: Bool, maskShape: [Int]?
        var description: String { "B\(batch) Tq\(queryLength) Tk\(keyLength) C\(channels) NH\(heads) causal \(causal) mask \(maskShape ?? [])" }
    }

    static let cases: [Case] = [
        Case(seed: 1, batch: 2, queryLength: 3, keyLength: 3, channels: 4, heads: 2, causal: false, maskShape: nil),
        Case(seed: 2, batch: 2, queryLength: 3, keyLength: 3, channels: 4, heads: 1, causal: true, maskShape: nil),
        Case(seed: 3, batch: 2, queryLength: 2, keyLength: 4, channels: 6, heads: 3, causal: false, maskShape: [2, 1, 4]),
        Case(seed: 4, batch: 1, queryLength: 4, keyLength: 3, channels: 4, heads: 2, causal: false, maskShape: [4, 3]),
        // One query row: the kernel's loops instead of BLAS calls.
        Case(seed: 5, batch: 3, queryLength: 1, keyLength: 5, channels: 8, heads: 2, causal: true, maskShape: nil),
        Case(seed: 6, batch: 2, queryLength: 1, keyLength: 4, channels: 6, heads: 3, causal: false, maskShape: [2, 1, 4]),
        Case(seed: 7, batch: 1, queryLength: 1, keyLength: 1, channels: 4, heads: 1, causal: false, maskShape: nil),
    ]

    static func mask(for testCase: Case) -> Tensor? {
        guard let shape = testCase.maskShape else { return nil }
        // Hide every third position, but never a whole row.
        let count = shape.reduce(1, *), width = shape[shape.count - 1]
        return Tensor.attentionMask(keep: (0..<count).map { $0 % width == 0 || $0 % 3 != 1 }, shape: shape)
    }

    @Test(arguments: cases)
    func gradientsMatchCentralDifferences(_ c: Case) {
        let q = randomTensor([c.batch, c.queryLength, c.channels], seed: c.seed)
        let k = randomTensor([c.batch, c.keyLength, c.channels], seed: c.seed + 1)
        let v = randomTensor([c.batch, c.keyLength, c.channels], seed: c.seed + 2)
        let mask = Self.mask(for: c)
        let report = GradientCheck.run("attention \(c)", inputs: [q, k, v], seed: c.seed) {
            Tensor.attention(query: $0[0], key: $0[1], value: $0[2], mask: mask, heads: c.heads, causal: c.causal)
        }
        #expect(report.passed, "\(report)")
    }

    @Test(arguments: cases)
    func agreesWithTheScalarOracle(_ c: Case) {
        let q = randomTensor([c.batch, c.queryLength, c.channels], seed: c.seed)
        let k = randomTensor([c.batch, c.keyLength, c.channels], seed: c.seed + 1)
        let v = randomTensor([c.batch, c.keyLength, c.channels], seed: c.seed + 2)
        let mask = Self.mask(for: c)
        let projection = randomProjection(count: q.count, seed: c.seed)
        let tensor = tapeValuesAndGradients([q, k, v], projection: projection) {
            Tensor.attention(query: $0[0], key: $0[1], value: $0[2], mask: mask, heads: c.heads, causal: c.causal)
        }
        let sq = ScalarReference.leaves(q.scalars), sk = ScalarReference.leaves(k.scalars), sv = ScalarReference.leaves(v.scalars)
        let hs = c.channels / c.heads
        let maskValues = mask?.scalars
        var outputs = [ScalarReference](repeating: ScalarReference(0), count: q.count)
        for b in 0..<c.batch {
            for h in 0..<c.heads {
                for i in 0..<c.queryLength {
                    var visible: [Int] = []
                    var scores: [ScalarReference] = []
                    for j in 0..<c.keyLength {
                        if c.causal && j > i + c.keyLength - c.queryLength { continue }
                        var extra = 0.0
                        if let maskValues, let shape = c.maskShape {
                            let index = shape.count == 3 ? b * c.keyLength + j : i * c.keyLength + j
                            extra = Double(maskValues[index])
                        }
                        if extra == -.infinity { continue }
                        let dots = (0..<hs).map { d in sq[(b * c.queryLength + i) * c.channels + h * hs + d] * sk[(b * c.keyLength + j) * c.channels + h * hs + d] }
                        scores.append(ScalarReference.sum(dots) * (1 / Double(hs).squareRoot()) + extra)
                        visible.append(j)
                    }
                    let weights = ScalarReference.softmax(scores)
                    for d in 0..<hs {
                        let terms = zip(weights, visible).map { w, j in w * sv[(b * c.keyLength + j) * c.channels + h * hs + d] }
                        outputs[(b * c.queryLength + i) * c.channels + h * hs + d] = ScalarReference.sum(terms)
                    }
                }
            }
        }
        let scalar = scalarValuesAndGradients([sq, sk, sv], projection: projection, outputs: outputs)
        #expect(oracleAgrees(tensorResult: tensor, scalarResult: scalar))
    }

    /// Reading the first Tk positions of longer key and value buffers gives the attention of
    /// exactly those positions, and their gradients; what lies beyond is neither read nor given
    /// a gradient.
    @Test(arguments: cases)
    func readingAPrefixOfLongerBuffersEqualsAttentionOnThePrefix(_ c: Case) {
        let extra = 3
        let q = randomTensor([c.batch, c.queryLength, c.channels], seed: c.seed)
        let k = randomTensor([c.batch, c.keyLength, c.channels], seed: c.seed + 1)
        let v = randomTensor([c.batch, c.keyLength, c.channels], seed: c.seed + 2)
        // The same keys and values, each batch followed by `extra` positions of large junk.
        func padded(_ t: Tensor, seed: UInt64) -> Tensor {
            let junk = randomTensor([c.batch, extra, c.channels], seed: seed, range: 50...90)
            return Tensor(shape: [c.batch, c.keyLength + extra, c.channels], scalars: Tensor.concatenate([t, junk], axis: 1).scalars, requiresGradient: true)
        }
        let pk = padded(k, seed: c.seed + 3), pv = padded(v, seed: c.seed + 4)
        let mask = Self.mask(for: c)
        let projection = randomProjection(count: q.count, seed: c.seed)
        let exact = tapeValuesAndGradients([q, k, v], projection: projection) {
            Tensor.attention(query: $0[0], key: $0[1], value: $0[2], mask: mask, heads: c.heads, causal: c.causal)
        }
        let prefix = tapeValuesAndGradients([q, pk, pv], projection: projection) {
            Tensor.attention(query: $0[0], key: $0[1], value: $0[2], keyLength: c.keyLength, mask: mask, heads: c.heads, causal: c.causal)
        }
        #expect(isClose(prefix.values, exact.values))
        #expect(isClose(prefix.gradients[0], exact.gradients[0]))
        let row = c.keyLength * c.channels, paddedRow = (c.keyLength + extra) * c.channels
        for input in 1...2 {
            for b in 0..<c.batch {
                let read = Array(prefix.gradients[input][(b * paddedRow)..<(b * paddedRow + row)])
                #expect(isClose(read, Array(exact.gradients[input][(b * row)..<((b + 1) * row)])))
                #expect(prefix.gradients[input][(b * paddedRow + row)..<((b + 1) * paddedRow)].allSatisfy { $0 == 0 })
            }
        }
    }

    /// Each query row attended alone (the kernel's one-row loops), against the keys its row of a
    /// causal attention sees, gives that row of the whole attention (BLAS calls): over random
    /// shapes (keys and head sizes on both sides of the loops' blocks of 8), key buffers longer
    /// than what is read, and padding masks.
    @Test func oneQueryRowAtATimeEqualsTheWholeAttention() {
        var rng = SplitMix64(seed: 41)
        for trial in 0..<60 {
            let b = 1 + Int(rng.next() % 3), tq = 2 + Int(rng.next() % 4), tk = tq + Int(rng.next() % 18)
            let heads = [1, 2, 4][Int(rng.next() % 3)], c = heads * (1 + Int(rng.next() % 20))
            let extra = Int(rng.next() % 3)
            let q = randomTensor([b, tq, c], seed: rng.next())
            let k = randomTensor([b, tk + extra, c], seed: rng.next()), v = randomTensor([b, tk + extra, c], seed: rng.next())
            let mask = trial % 2 == 0 ? nil : Tensor.attentionMask(keep: (0..<(b * tk)).map { $0 % tk == 0 || rng.next() % 3 != 0 }, shape: [b, 1, tk])
            let whole = Tensor.attention(query: q, key: k, value: v, keyLength: tk, mask: mask, heads: heads, causal: true)
            for row in 0..<tq {
                let visible = row + tk - tq + 1
                let rowMask = mask.map { m in
                    Tensor(shape: [b, 1, visible], scalars: (0..<b).flatMap { m.scalars[($0 * tk)..<($0 * tk + visible)] })
                }
                let alone = Tensor.attention(
                    query: q.slice(axis: 1, range: row..<(row + 1)), key: k, value: v, keyLength: visible, mask: rowMask,
                    heads: heads, causal: true)
                #expect(isClose(alone.scalars, whole.slice(axis: 1, range: row..<(row + 1)).scalars), "trial \(trial) row \(row)")
            }
        }
    }

    @Test func sharedInputAccumulatesQueryKeyAndValueGradients() {
        let x = randomTensor([1, 3, 4], seed: 8)
        let report = GradientCheck.run("self-attention on one tensor", inputs: [x], seed: 8) {
            Tensor.attention(query: $0[0], key: $0[0], value: $0[0], heads: 2)
        }
        #expect(report.passed, "\(report)")
    }

    @Test func headsThatDoNotDivideChannelsTrap() async {
        await #expect(processExitsWith: .failure) {
            let x = Tensor.zeros(shape: [1, 2, 6])
            _ = Tensor.attention(query: x, key: x, value: x, heads: 4)
        }
    }

    @Test func keyShapeMismatchTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.attention(query: Tensor.zeros(shape: [1, 2, 4]), key: Tensor.zeros(shape: [1, 3, 2]), value: Tensor.zeros(shape: [1, 3, 2]), heads: 1)
        }
    }

    @Test func aKeyLengthBeyondTheKeysTraps() async {
        await #expect(processExitsWith: .failure) {
            let x = Tensor.zeros(shape: [1, 2, 4])
            _ = Tensor.attention(query: x, key: x, value: x, keyLength: 3, heads: 1)
        }
    }

    @Test func rankTwoQueryTraps() async {
        await #expect(processExitsWith: .failure) {
            let x = Tensor.zeros(shape: [2, 4])
            _ = Tensor.attention(query: x, key: x, value: x, heads: 1)
        }
    }

    @Test func maskFlagsNotFillingTheShapeTrap() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.attentionMask(keep: [true], shape: [2]) }
    }

    @Test func maskThatDoesNotBroadcastTraps() async {
        await #expect(processExitsWith: .failure) {
            let x = Tensor.zeros(shape: [1, 2, 4])
            _ = Tensor.attention(query: x, key: x, value: x, mask: Tensor.zeros(shape: [3, 2]), heads: 1)
        }
    }
}

extension Float {
    /// e^self through the Double scalar engine (keeps libm imports out of this file).
    fileprivate var exponential: Float { Float(ScalarReference(Double(self)).exp().value) }
}
