import IDATestSupport
import SeededRandom
import Testing

@testable import TensorCore

@Suite struct LinearTests {
    @Test func knownValues() {
        let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let w = Tensor(shape: [2, 3], scalars: [1, 0, -1, 0, 1, 2])
        let b = Tensor(shape: [3], scalars: [0.5, 0, -0.5])
        #expect(x.linear(weight: w, bias: b).scalars == [1.5, 2, 2.5, 3.5, 4, 4.5])
    }

    /// No inputs (K = 0): every output row is the bias, and the bias gradient sums the rows.
    /// The output reuses a pool buffer full of 7s, so a row left unwritten would show.
    @Test func anEmptyProductGivesTheBiasInEveryRow() {
        let x = Tensor(shape: [3, 0], scalars: [])
        let w = Tensor(shape: [0, 2], scalars: [], requiresGradient: true)
        let b = Tensor(shape: [2], scalars: [1, 2], requiresGradient: true)
        let tape = Tape()
        _ = tape.recording { Tensor(repeating: 7, shape: [6]) }
        var values: [Float] = []
        let loss = tape.recording { () -> Tensor in
            let out = x.linear(weight: w, bias: b)
            values = out.scalars
            return (out * Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])).sum()
        }
        tape.backward(loss)
        #expect(values == [1, 2, 1, 2, 1, 2])
        #expect(b.gradient == [9, 12])
    }

    static let cases: [(seed: UInt64, shape: [Int], outputs: Int)] = [(1, [2, 3, 4], 5), (2, [3, 2], 1), (3, [1, 7], 3)]

    @Test(arguments: cases)
    func gradientsMatchCentralDifferences(seed: UInt64, shape: [Int], outputs: Int) {
        let x = randomTensor(shape, seed: seed)
        let w = randomTensor([shape[shape.count - 1], outputs], seed: seed + 1)
        let b = randomTensor([outputs], seed: seed + 2)
        let report = GradientCheck.run("linear", inputs: [x, w, b], seed: seed) { $0[0].linear(weight: $0[1], bias: $0[2]) }
        #expect(report.passed, "\(report)")
    }

    @Test(arguments: [4, 5] as [UInt64])
    func equalsMatmulPlusBias(seed: UInt64) {
        let x = randomTensor([3, 4, 6], seed: seed, requiresGradient: false)
        let w = randomTensor([6, 5], seed: seed + 1, requiresGradient: false)
        let b = randomTensor([5], seed: seed + 2, requiresGradient: false)
        #expect(isClose(x.linear(weight: w, bias: b).scalars, (x.matmul(w) + b).scalars, tolerance: 1e-5))
    }

    /// With OpenBLAS single-threaded the op splits big products across cores itself; the split
    /// results must equal `matmul + bias` and its gradients. Runs in a child process because
    /// `BLAS.threadCount` is process-wide.
    @Test func splitProductsAgreeWithMatmulPlusBias() async {
        await #expect(processExitsWith: .success) {
            BLAS.threadCount = 1
            var rng = SplitMix64(seed: 9)
            let x = Tensor.uniform(shape: [96, 70], in: -1...1, using: &rng, requiresGradient: true)
            let w = Tensor.uniform(shape: [70, 50], in: -1...1, using: &rng, requiresGradient: true)
            let b = Tensor.uniform(shape: [50], in: -1...1, using: &rng, requiresGradient: true)
            precondition(gemmChunkCount(work: 96 * 70 * 50, limit: 50) > 1, "the product is not split")
            let r = Tensor.uniform(shape: [96, 50], in: -1...1, using: &rng)
            func run(_ op: () -> Tensor) -> [[Float]] {
                [x, w, b].zeroGradients()
                let tape = Tape()
                var values: [Float] = []
                let loss = tape.recording { () -> Tensor in
                    let out = op()
                    values = out.scalars
                    return (out * r).sum()
                }
                tape.backward(loss)
                return [values] + [x, w, b].map { $0.gradient ?? [] }
            }
            let split = run { x.linear(weight: w, bias: b) }
            let reference = run { x.matmul(w) + b }
            for (a, e) in zip(split, reference) {
                precondition(isClose(a, e, tolerance: 1e-5), "split linear differs from matmul + bias")
            }
        }
    }

    @Test func mismatchedWeightTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros(shape: [2, 3]).linear(weight: Tensor.zeros(shape: [4, 2]), bias: Tensor.zeros(shape: [2]))
        }
    }
}

@Suite struct LinearReLUTests {
    @Test func knownValues() {
        let x = Tensor(shape: [1, 2], scalars: [1, -1])
        let w = Tensor(shape: [2, 3], scalars: [1, 2, -1, 1, 1, 1])
        #expect(x.linearReLU(weight: w, bias: Tensor(shape: [3], scalars: [0, -2, 0.5])).scalars == [0, 0, 0])
        #expect(x.linearReLU(weight: w, bias: Tensor(shape: [3], scalars: [1, 1, 0])).scalars == [1, 2, 0])
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func gradientsMatchCentralDifferences(seed: UInt64) {
        // ε = 1e-3 keeps the perturbations off the ReLU kink for these seeds.
        let x = randomTensor([3, 4], seed: seed, range: 0.5...2)
        let w = randomTensor([4, 5], seed: seed + 1)
        let b = randomTensor([5], seed: seed + 2)
        let report = GradientCheck.run("linearReLU", inputs: [x, w, b], epsilon: 1e-3, seed: seed) {
            $0[0].linearReLU(weight: $0[1], bias: $0[2])
        }
        #expect(report.passed, "\(report)")
    }

    @Test(arguments: [4, 5] as [UInt64])
    func equalsLinearThenReLU(seed: UInt64) {
        let x = randomTensor([6, 7], seed: seed), w = randomTensor([7, 3], seed: seed + 1), b = randomTensor([3], seed: seed + 2)
        let r = randomProjection(count: 18, seed: seed)
        let fused = tapeValuesAndGradients([x, w, b], projection: r) { $0[0].linearReLU(weight: $0[1], bias: $0[2]) }
        let plain = tapeValuesAndGradients([x, w, b], projection: r) { $0[0].linear(weight: $0[1], bias: $0[2]).relu() }
        #expect(isClose(fused.values, plain.values))
        for (a, e) in zip(fused.gradients, plain.gradients) { #expect(isClose(a, e)) }
    }

    @Test func mismatchedBiasTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros(shape: [2, 3]).linearReLU(weight: Tensor.zeros(shape: [3, 2]), bias: Tensor.zeros(shape: [3]))
        }
    }
}
