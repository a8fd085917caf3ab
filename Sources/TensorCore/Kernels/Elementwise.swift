// Elementwise kernels over flat buffers.
//
// Dimensions: N output elements; operands map output index i to their own index through a
// `Broadcast` (same shape, trailing suffix such as a (C) bias, leading prefix, or a table).
// Forward:  add out = a + b; subtract out = a − b; multiply out = a · b; scale out = s · x;
//           relu out = max(x, 0); gelu out = ½x(1 + tanh(√(2/π)(x + 0.044715x³)));
//           exp out = eˣ; log out = ln x; sigmoid out = 1/(1 + e⁻ˣ); tanh out = tanh x.
// Backward accumulates (+=); broadcast operands sum the gradient over repeated positions.
// Caches: none (relu/exp/sigmoid/tanh reuse the forward output, gelu and log the input).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum BinaryOperator {
    case add, subtract, multiply
}

/// out (N) = a[ia(i)] ∘ b[ib(i)].
// Safe: `out` has N elements; Broadcast maps i < N into each operand (i % its count, i / run, or its table).
func binaryForward(
    out: UnsafeMutablePointer<Float>,  // (N)
    a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    count: Int, aIndex: Broadcast, bIndex: Broadcast, op: BinaryOperator
) {
    if case .same = aIndex, case .same = bIndex {
        switch op {
        case .add: for i in 0..<count { out[i] = a[i] + b[i] }
        case .subtract: for i in 0..<count { out[i] = a[i] - b[i] }
        case .multiply: for i in 0..<count { out[i] = a[i] * b[i] }
        }
        return
    }
    if case .same = aIndex, case .suffix(let period) = bIndex {
        // Row loop: b is one row (e.g. a bias) repeated under every row of a.
        for row in stride(from: 0, to: count, by: period) {
            let o = out + row, x = a + row
            switch op {
            case .add: for j in 0..<period { o[j] = x[j] + b[j] }
            case .subtract: for j in 0..<period { o[j] = x[j] - b[j] }
            case .multiply: for j in 0..<period { o[j] = x[j] * b[j] }
            }
        }
        return
    }
    switch op {
    case .add: for i in 0..<count { out[i] = a[aIndex.index(i)] + b[bIndex.index(i)] }
    case .subtract: for i in 0..<count { out[i] = a[aIndex.index(i)] - b[bIndex.index(i)] }
    case .multiply: for i in 0..<count { out[i] = a[aIndex.index(i)] * b[bIndex.index(i)] }
    }
}

/// dA[ia(i)] += dOut[i] · ∂out/∂a, dB likewise; nil skips an operand. Operands may alias.
// Safe: same index maps as the forward; dA and dB may alias because each loop is one operand's, in order.
func binaryBackward(
    dA: UnsafeMutablePointer<Float>?, dB: UnsafeMutablePointer<Float>?,
    dOut: UnsafePointer<Float>,  // (N)
    a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    count: Int, aIndex: Broadcast, bIndex: Broadcast, op: BinaryOperator
) {
    if case .same = aIndex, case .same = bIndex {
        // Sequential per operand, so dA and dB may be the same buffer (`x * x`).
        switch op {
        case .add:
            if let dA { for i in 0..<count { dA[i] += dOut[i] } }
            if let dB { for i in 0..<count { dB[i] += dOut[i] } }
        case .subtract:
            if let dA { for i in 0..<count { dA[i] += dOut[i] } }
            if let dB { for i in 0..<count { dB[i] -= dOut[i] } }
        case .multiply:
            if let dA { for i in 0..<count { dA[i] += dOut[i] * b[i] } }
            if let dB { for i in 0..<count { dB[i] += dOut[i] * a[i] } }
        }
        return
    }
    if case .same = aIndex, case .suffix(let period) = bIndex {
        // Row loops: b's gradient sums over the rows it repeats under.
        for row in stride(from: 0, to: count, by: period) {
            let d = dOut + row, x = a + row
            if let dA {
                let g = dA + row
                switch op {
                case .add, .subtract: for j in 0..<period { g[j] += d[j] }
                case .multiply: for j in 0..<period { g[j] += d[j] * b[j] }
                }
            }
            if let dB {
                switch op {
                case .add: for j in 0..<period { dB[j] += d[j] }
                case .subtract: for j in 0..<period { dB[j] -= d[j] }
                case .multiply: for j in 0..<period { dB[j] += d[j] * x[j] }
                }
            }
        }
        return
    }
    if let dA {
        switch op {
        case .add, .subtract: for i in 0..<count { dA[aIndex.index(i)] += dOut[i] }
        case .multiply: for i in 0..<count { dA[aIndex.index(i)] += dOut[i] * b[bIndex.index(i)] }
        }
    }
    if let dB {
        switch op {
        case .add: for i in 0..<count { dB[bIndex.index(i)] += dOut[i] }
        case .subtract: for i in 0..<count { dB[bIndex.index(i)] -= dOut[i] }
        case .multiply: for i in 0..<count { dB[bIndex.index(i)] += dOut[i] * a[aIndex.index(i)] }
        }
    }
}

/// out (N) = scale · input.
// Safe: the kernels below read and write i < count of buffers that all have the op's `count` elements.
func scaleForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, scale: Float, count: Int) {
    for i in 0..<count { out[i] = scale * input[i] }
}

func scaleBackward(dInput: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>, scale: Float, count: Int) {
    for i in 0..<count { dInput[i] += scale * dOut[i] }
}

/// out (N) = input + shift.
func shiftForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, shift: Float, count: Int) {
    for i in 0..<count { out[i] = input[i] + shift }
}

/// out (N) = max(input, 0).
func reluForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = input[i] > 0 ? input[i] : 0 }
}

/// Gradient passes where the forward output is positive.
func reluBackward(dInput: UnsafeMutablePointer<Float>, out: UnsafePointer<Float>, dOut: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { dInput[i] += out[i] > 0 ? dOut[i] : 0 }  // a select, so it vectorises
}

private let geluScale: Float = 0.797_884_56  // √(2/π)
private let geluCubic: Float = 0.044_715

/// out (N) = ½x(1 + tanh(√(2/π)(x + 0.044715x³))), the tanh approximation GPT-2 uses.
// Safe: chunks own disjoint ranges of `out`; input is only read.
func geluForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int) {
    parallelChunks(count, grain: 32_768) { range in
        for i in range {
            let x = input[i]
            out[i] = 0.5 * x * (1 + fastTanh(geluScale * (x + geluCubic * x * x * x)))
        }
    }
}

/// d gelu/dx = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²), t = tanh(…).
// Safe: chunks own disjoint ranges of dInput; input and dOut are only read.
func geluBackward(dInput: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, dOut: UnsafePointer<Float>, count: Int) {
    parallelChunks(count, grain: 32_768) { range in
        for i in range {
            let x = input[i]
            let t = fastTanh(geluScale * (x + geluCubic * x * x * x))
            let local = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * geluScale * (1 + 3 * geluCubic * x * x)
            dInput[i] += local * dOut[i]
        }
    }
}

/// out (N) = eˣ.
func expForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = expf(input[i]) }
}

/// d eˣ/dx = eˣ, the cached output.
func expBackward(dInput: UnsafeMutablePointer<Float>, out: UnsafePointer<Float>, dOut: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { dInput[i] += out[i] * dOut[i] }
}

/// out (N) = ln x.
func logForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = logf(input[i]) }
}

/// d ln x/dx = 1/x.
func logBackward(dInput: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, dOut: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { dInput[i] += dOut[i] / input[i] }
}

/// out (N) = 1 / (1 + e⁻ˣ).
func sigmoidForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = 1 / (1 + fastExp(-input[i])) }
}

/// d σ/dx = σ(1 − σ), from the cached output.
func sigmoidBackward(dInput: UnsafeMutablePointer<Float>, out: UnsafePointer<Float>, dOut: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { dInput[i] += out[i] * (1 - out[i]) * dOut[i] }
}

/// out (N) = tanh x (Glibc `tanhf`: accurate near 0, where the one-`expf` form loses digits).
func tanhForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = tanhf(input[i]) }
}

/// d tanh/dx = 1 − tanh², from the cached output.
func tanhBackward(dInput: UnsafeMutablePointer<Float>, out: UnsafePointer<Float>, dOut: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { dInput[i] += (1 - out[i] * out[i]) * dOut[i] }
}
