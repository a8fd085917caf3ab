// Fused softmax and log-softmax over the last axis.
//
// Dimensions: N rows (every leading axis folded), V entries per row.
// Forward: softmax out = e^(x − max) / Σ e^(x − max); logSoftmax out = x − max − ln Σ e^(x − max).
// Caches: the output (both backwards need only it).
// Backward: softmax dx += y·(dy − Σ y·dy); logSoftmax dx += dy − e^out·Σ dy.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Safe: (N, V) buffers; chunks own disjoint row ranges, so out rows are written by one thread each.
func softmaxForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, rows: Int, width: Int) {
    parallelChunks(rows, grain: 8192 / max(width, 1) + 1) { range in
        for row in range { softmaxRow(out: out + row * width, input: input + row * width, width: width) }
    }
}

/// One row; a row of all −∞ gives zeros rather than NaN.
// Safe: callers pass rows of `width` elements; out may equal input (read before written, per element).
@inline(__always)
func softmaxRow(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, width: Int) {
    var maximum = -Float.infinity
    for j in 0..<width where input[j] > maximum { maximum = input[j] }
    if maximum == -Float.infinity {
        out.update(repeating: 0, count: width)
        return
    }
    var total: Float = 0
    for j in 0..<width {
        let e = input[j] == -Float.infinity ? 0 : fastExp(input[j] - maximum)  // masked stays exactly 0
        out[j] = e
        total += e
    }
    let inverse = 1 / total
    for j in 0..<width { out[j] *= inverse }
}

// Safe: (N, V) buffers; each chunk reads and writes only the rows of its range.
func softmaxBackward(
    dInput: UnsafeMutablePointer<Float>, out: UnsafePointer<Float>, dOut: UnsafePointer<Float>, rows: Int, width: Int
) {
    parallelChunks(rows, grain: 8192 / max(width, 1) + 1) { range in
        for row in range {
            let y = out + row * width, dy = dOut + row * width, dx = dInput + row * width
            var dot: Float = 0
            for j in 0..<width { dot += y[j] * dy[j] }
            for j in 0..<width { dx[j] += y[j] * (dy[j] - dot) }
        }
    }
}

// Safe: (N, V) buffers; chunks own disjoint row ranges.
func logSoftmaxForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, rows: Int, width: Int) {
    parallelChunks(rows, grain: 8192 / max(width, 1) + 1) { range in
        for row in range {
            let x = input + row * width, o = out + row * width
            var maximum = -Float.infinity
            for j in 0..<width where x[j] > maximum { maximum = x[j] }
            var total: Float = 0
            for j in 0..<width { total += fastExp(x[j] - maximum) }
            let shift = maximum + logf(total)
            for j in 0..<width { o[j] = x[j] - shift }
        }
    }
}

// Safe: (N, V) buffers; each chunk accumulates into its own rows of dInput only.
func logSoftmaxBackward(
    dInput: UnsafeMutablePointer<Float>, out: UnsafePointer<Float>, dOut: UnsafePointer<Float>, rows: Int, width: Int
) {
    parallelChunks(rows, grain: 8192 / max(width, 1) + 1) { range in
        for row in range {
            let y = out + row * width, dy = dOut + row * width, dx = dInput + row * width
            var total: Float = 0
            for j in 0..<width { total += dy[j] }
            for j in 0..<width { dx[j] += dy[j] - fastExp(y[j]) * total }
        }
    }
}
