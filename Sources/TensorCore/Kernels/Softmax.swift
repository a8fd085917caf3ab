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
// Safe: callers pass rows of `width` elements; out may equal input.
@inline(__always)
func softmaxRow(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, width: Int) {
    if UnsafePointer(out) != input { out.update(from: input, count: width) }
    softmaxRow(inPlace: out, width: width)
}

/// ``softmaxRow(out:input:width:)`` overwriting its input: one pointer, so that the compiler
/// need not guard against overlapping rows before it vectorises the exponentials.
// Safe: callers pass a row of `width` elements.
@inline(__always)
func softmaxRow(inPlace row: UnsafeMutablePointer<Float>, width: Int) {
    var maximum = -Float.infinity
    for j in 0..<width where row[j] > maximum { maximum = row[j] }
    if maximum == -Float.infinity {
        row.update(repeating: 0, count: width)
        return
    }
    // The exponentials in a loop of their own, so that they vectorise; the sum keeps its order.
    for j in 0..<width {
        row[j] = row[j] == -Float.infinity ? 0 : fastExp(row[j] - maximum)  // masked stays exactly 0
    }
    var total: Float = 0
    for j in 0..<width { total += row[j] }
    let inverse = 1 / total
    for j in 0..<width { row[j] *= inverse }
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
