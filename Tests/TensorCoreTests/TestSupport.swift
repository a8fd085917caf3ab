import IDATestSupport
import SeededRandom
@testable import TensorCore

/// A tensor with values uniform in `range` from `seed`.
func randomTensor(_ shape: [Int], seed: UInt64, range: ClosedRange<Float> = -2...2, requiresGradient: Bool = true) -> Tensor {
    var rng = SplitMix64(seed: seed)
    return Tensor.uniform(shape: shape, in: range, using: &rng, requiresGradient: requiresGradient)
}

/// Elementwise |a − b| ≤ tolerance · max(1, |b|).
func isClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
}

func isClose(_ a: [Float], _ b: [Double], tolerance: Double = 1e-4) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs(Double($0) - $1) <= tolerance * max(1, abs($1)) }
}

/// Runs `op` on `inputs` recorded, projects on `projection`, backpropagates; returns the
/// output values and each input's gradient.
func tapeValuesAndGradients(_ inputs: [Tensor], projection: [Float], _ op: ([Tensor]) -> Tensor) -> (values: [Float], gradients: [[Float]]) {
    inputs.zeroGradients()
    let tape = Tape()
    var values: [Float] = []
    let loss = tape.recording { () -> Tensor in
        let out = op(inputs)
        values = out.scalars
        return (out * Tensor(shape: out.shape, scalars: projection)).sum()
    }
    tape.backward(loss)
    return (values, inputs.map { $0.gradient ?? Array(repeating: 0, count: $0.count) })
}

/// The same projection applied to scalar-engine outputs: returns values and leaf gradients.
func scalarValuesAndGradients(_ leaves: [[ScalarReference]], projection: [Float], outputs: [ScalarReference]) -> (values: [Double], gradients: [[Double]]) {
    let loss = ScalarReference.sum(zip(outputs, projection).map { $0 * Double($1) })
    loss.backward()
    return (outputs.map(\.value), leaves.map { $0.map(\.gradient) })
}

/// Uniform values in [-1, 1] for projections.
func randomProjection(count: Int, seed: UInt64) -> [Float] {
    var rng = SplitMix64(seed: seed ^ 0xABCD)
    return (0..<count).map { _ in 2 * rng.nextUnitFloat() - 1 }
}

/// Asserts oracle agreement of values and gradients.
func oracleAgrees(
    tensorResult: (values: [Float], gradients: [[Float]]),
    scalarResult: (values: [Double], gradients: [[Double]]), tolerance: Double = 1e-4
) -> Bool {
    isClose(tensorResult.values, scalarResult.values, tolerance: tolerance)
        && zip(tensorResult.gradients, scalarResult.gradients).allSatisfy { isClose($0, $1, tolerance: tolerance) }
}
