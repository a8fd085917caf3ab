// Small vector kernels over flat buffers, shared by the fused heads.

/// Σ a[i]·b[i] over `count` values, in four independent partial sums (the compiler vectorises
/// them; one running sum would serialise on the addition's latency).
// Safe: callers pass rows of at least `count` elements (one head or key row, D wide).
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
    var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
    var i = 0
    while i + 4 <= count {
        s0 += a[i] * b[i]
        s1 += a[i + 1] * b[i + 1]
        s2 += a[i + 2] * b[i + 2]
        s3 += a[i + 3] * b[i + 3]
        i += 4
    }
    while i < count {
        s0 += a[i] * b[i]
        i += 1
    }
    return (s0 + s1) + (s2 + s3)
}

/// y[i] += alpha·x[i] over `count` values.
// Safe: callers pass rows of at least `count` elements; y and x are different rows.
@inline(__always)
func axpy(_ y: UnsafeMutablePointer<Float>, _ alpha: Float, _ x: UnsafePointer<Float>, _ count: Int) {
    for i in 0..<count { y[i] += alpha * x[i] }
}
