// Matrix multiplication kernels over flat row-major buffers.
//
// Dimensions: M rows of A and C, K the shared inner dimension, N columns of C.
// Forward: C[m, n] = Σ_k A[m, k] · B[k, n], or with `transposeB` C[m, n] = Σ_k A[m, k] · B[n, k].
// Backward (accumulating, beta = 1): dA += dC · op(B)ᵀ, dB += Aᵀ · dC (or dCᵀ · A when transposed).
// Caches: none (backward reads the forward inputs).
// The CBLAS pair is the fast path; `referenceMatmulForward` is the plain triple loop kept as the
// test oracle for it.

import COpenBLAS

/// out (M, N) = a (M, K) · b (K, N), or b (N, K) transposed.
// Safe: the op sized the buffers (M, K), (K, N) or (N, K), (M, N) from the same m, k, n; leading dims match.
func matmulForward(
    out: UnsafeMutablePointer<Float>,  // (M, N)
    a: UnsafePointer<Float>,  // (M, K)
    b: UnsafePointer<Float>,  // (K, N) or (N, K) when transposeB
    m: Int, k: Int, n: Int, transposeB: Bool
) {
    guard m > 0, n > 0 else { return }  // nothing to write (CBLAS rejects zero leading dimensions)
    guard k > 0 else {
        out.update(repeating: 0, count: m * n)  // an empty sum
        return
    }
    cblas_sgemm(
        CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(transposeB ? k : n),
        0, out, Int32(n))
}

/// dA (M, K) += dOut · op(b)ᵀ; pass nil to skip an input that needs no gradient.
// Safe: dA and dB have a's and b's shapes; the guard skips CBLAS's rejected zero leading dimensions.
func matmulBackward(
    dA: UnsafeMutablePointer<Float>?,  // (M, K)
    dB: UnsafeMutablePointer<Float>?,  // (K, N) or (N, K)
    dOut: UnsafePointer<Float>,  // (M, N)
    a: UnsafePointer<Float>,  // (M, K)
    b: UnsafePointer<Float>,  // (K, N) or (N, K)
    m: Int, k: Int, n: Int, transposeB: Bool
) {
    guard m > 0, k > 0, n > 0 else { return }  // every gradient term is an empty sum
    if let dA {
        // (M, N) · (N, K): B is (K, N) read transposed, or (N, K) read as is.
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, transposeB ? CblasNoTrans : CblasTrans,
            Int32(m), Int32(k), Int32(n), 1, dOut, Int32(n), b, Int32(transposeB ? k : n),
            1, dA, Int32(k))
    }
    if let dB {
        if transposeB {
            // dB (N, K) += dOutᵀ (N, M) · A (M, K)
            cblas_sgemm(
                CblasRowMajor, CblasTrans, CblasNoTrans,
                Int32(n), Int32(k), Int32(m), 1, dOut, Int32(n), a, Int32(k), 1, dB, Int32(k))
        } else {
            // dB (K, N) += Aᵀ (K, M) · dOut (M, N)
            cblas_sgemm(
                CblasRowMajor, CblasTrans, CblasNoTrans,
                Int32(k), Int32(n), Int32(m), 1, a, Int32(k), dOut, Int32(n), 1, dB, Int32(n))
        }
    }
}

/// The test oracle: the obvious triple loop, accumulated in Double.
// Safe: test oracle over the same (M, K), (K, N) or (N, K), (M, N) buffers as matmulForward.
func referenceMatmulForward(
    out: UnsafeMutablePointer<Float>, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    m: Int, k: Int, n: Int, transposeB: Bool
) {
    for row in 0..<m {
        for column in 0..<n {
            var total = 0.0
            for inner in 0..<k {
                let bValue = transposeB ? b[column * k + inner] : b[inner * n + column]
                total += Double(a[row * k + inner]) * Double(bValue)
            }
            out[row * n + column] = Float(total)
        }
    }
}
