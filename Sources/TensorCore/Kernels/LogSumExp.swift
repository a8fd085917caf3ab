// Log-sum-exp, over one axis or elementwise across same-shape tensors.
//
// Dimensions: the axis form views the input as (outer, R, inner) with R reduced; the list form
// has K tensors of N elements.
// Forward: out[o, i] = m + ln Σ_r e^(x[o, r, i] − m), m = max_r x[o, r, i];
//          list: out[i] = m + ln Σ_k e^(x_k[i] − m).
// Caches: the output. Backward: dx += dOut · e^(x − out) (0 where out = −∞).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Safe: the op computed outer, R and inner from the input's shape; out is (outer, inner).
func logSumExpForward(
    out: UnsafeMutablePointer<Float>,  // (outer, inner)
    input: UnsafePointer<Float>,  // (outer, R, inner)
    outer: Int, reduced: Int, inner: Int
) {
    for o in 0..<outer {
        for i in 0..<inner {
            let base = input + o * reduced * inner + i
            var m = -Float.infinity
            for r in 0..<reduced where base[r * inner] > m { m = base[r * inner] }
            if m == -Float.infinity {
                out[o * inner + i] = m
                continue
            }
            var total: Float = 0
            for r in 0..<reduced { total += expf(base[r * inner] - m) }
            out[o * inner + i] = m + logf(total)
        }
    }
}

// Safe: same dimensions as the forward; dInput has the input's shape.
func logSumExpBackward(
    dInput: UnsafeMutablePointer<Float>,  // (outer, R, inner)
    out: UnsafePointer<Float>, dOut: UnsafePointer<Float>,  // (outer, inner)
    input: UnsafePointer<Float>,  // (outer, R, inner)
    outer: Int, reduced: Int, inner: Int
) {
    for o in 0..<outer {
        for i in 0..<inner {
            let y = out[o * inner + i]
            guard y > -Float.infinity else { continue }
            let g = dOut[o * inner + i]
            for r in 0..<reduced {
                let index = (o * reduced + r) * inner + i
                dInput[index] += g * expf(input[index] - y)
            }
        }
    }
}

/// out (N) = ln Σ_k e^(inputs[k][i]).
// Safe: every input has `count` elements (equal shapes, checked by the op), as does out.
func logSumExpListForward(out: UnsafeMutablePointer<Float>, inputs: [UnsafePointer<Float>], count: Int) {
    for i in 0..<count {
        var m = -Float.infinity
        for x in inputs where x[i] > m { m = x[i] }
        if m == -Float.infinity {
            out[i] = m
            continue
        }
        var total: Float = 0
        for x in inputs { total += expf(x[i] - m) }
        out[i] = m + logf(total)
    }
}

/// dInput (N) += dOut · e^(input − out), for one of the list's inputs.
// Safe: the four buffers hold `count` elements (equal shapes, checked by the op).
func logSumExpListBackward(
    dInput: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
    out: UnsafePointer<Float>, dOut: UnsafePointer<Float>, count: Int
) {
    for i in 0..<count where out[i] > -Float.infinity {
        dInput[i] += dOut[i] * expf(input[i] - out[i])
    }
}
