// Reduction kernels.
//
// Dimensions: N elements; for axis reductions the shape is viewed as (outer, R, inner) with R the
// reduced axis.
// Forward: sum out = Σ x; axis sum out[o, i] = Σ_r x[o, r, i]; mean divides by the count.
// Backward accumulates the (scaled) output gradient into every reduced position.
// Caches: none.

/// out (1) = scale · Σ input, accumulated in Double.
// Safe: input holds `count` elements and out one (the op's [1] result).
func sumForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int, scale: Float) {
    var total = 0.0
    for i in 0..<count { total += Double(input[i]) }
    out[0] = Float(total) * scale
}

func sumBackward(dInput: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>, count: Int, scale: Float) {
    let g = dOut[0] * scale
    for i in 0..<count { dInput[i] += g }
}

/// out (outer, inner) = scale · Σ_r input (outer, R, inner).
// Safe: the op derived outer·R·inner from the input's shape and outer·inner from the output's.
func axisSumForward(
    out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
    outer: Int, reduced: Int, inner: Int, scale: Float
) {
    for o in 0..<outer {
        let row = out + o * inner
        row.update(repeating: 0, count: inner)
        for r in 0..<reduced {
            let source = input + (o * reduced + r) * inner
            for i in 0..<inner { row[i] += source[i] }
        }
        for i in 0..<inner { row[i] *= scale }
    }
}

func axisSumBackward(
    dInput: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>,
    outer: Int, reduced: Int, inner: Int, scale: Float
) {
    for o in 0..<outer {
        for r in 0..<reduced {
            let target = dInput + (o * reduced + r) * inner
            let source = dOut + o * inner
            for i in 0..<inner { target[i] += scale * source[i] }
        }
    }
}
