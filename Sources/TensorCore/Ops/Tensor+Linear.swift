// A fully connected layer as one op: the bias is written into the output before the matrix
// product accumulates onto it (beta = 1), and the backward sums the bias gradient in one pass.
//
// Dimensions: M rows (every leading axis folded), K inputs, N outputs.
// Forward: out[m, n] = b[n] + Σ_k x[m, k] · W[k, n]. Caches: none.
// Backward (accumulating): dx += dOut · Wᵀ, dW += xᵀ · dOut, db[n] += Σ_m dOut[m, n].

import COpenBLAS

/// out (M, N) = x (M, K) · w (K, N) + b (N)
func linearForward(
    out: UnsafeMutablePointer<Float>,  // (M, N)
    input: UnsafePointer<Float>,  // (M, K)
    weight: UnsafePointer<Float>,  // (K, N)
    bias: UnsafePointer<Float>,  // (N)
    M: Int, K: Int, N: Int
) {
    for m in 0..<M { (out + m * N).update(from: bias, count: N) }
    cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(M), Int32(N), Int32(K),
        1, input, Int32(K), weight, Int32(N), 1, out, Int32(N))
}

/// Accumulates dInput (M, K), dWeight (K, N), dBias (N); nil skips an input.
func linearBackward(
    dInput: UnsafeMutablePointer<Float>?, dWeight: UnsafeMutablePointer<Float>?, dBias: UnsafeMutablePointer<Float>?,
    dOut: UnsafePointer<Float>,  // (M, N)
    input: UnsafePointer<Float>,  // (M, K)
    weight: UnsafePointer<Float>,  // (K, N)
    M: Int, K: Int, N: Int
) {
    if let dInput {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(M), Int32(K), Int32(N),
            1, dOut, Int32(N), weight, Int32(N), 1, dInput, Int32(K))
    }
    if let dWeight {
        cblas_sgemm(
            CblasRowMajor, CblasTrans, CblasNoTrans, Int32(K), Int32(N), Int32(M),
            1, input, Int32(K), dOut, Int32(N), 1, dWeight, Int32(N))
    }
    if let dBias {
        for m in 0..<M {
            let row = dOut + m * N
            for n in 0..<N { dBias[n] += row[n] }
        }
    }
}

extension Tensor {
    /// `self·weight + bias` over the last axis: (…, K) with weight (K, N) and bias (N) gives (…, N).
    ///
    /// The same function as `matmul(weight) + bias`, in one op (one pass less over the output
    /// forward, and the bias gradient summed without a broadcast).
    ///
    /// - Precondition: `weight` is (K, N) with K = the last extent, and `bias` is (N).
    public func linear(weight: Tensor, bias: Tensor) -> Tensor {
        precondition(
            rank >= 1 && weight.rank == 2 && weight.shape[0] == shape[rank - 1] && bias.shape == [weight.shape[1]],
            "linear: shapes disagree, input \(shape), weight \(weight.shape), bias \(bias.shape)")
        let (K, N) = (weight.shape[0], weight.shape[1])
        let M = count / max(K, 1)
        let out = Tensor(uninitializedShape: Array(shape.dropLast()) + [N])  // (…, N)
        linearForward(out: out.storage, input: storage, weight: weight.storage, bias: bias.storage, M: M, K: K, N: N)
        out.record(self, weight, bias) { out in
            linearBackward(
                dInput: self.requiresGradient ? self.gradientPointer() : nil,
                dWeight: weight.requiresGradient ? weight.gradientPointer() : nil,
                dBias: bias.requiresGradient ? bias.gradientPointer() : nil,
                dOut: out.gradientPointer(), input: self.storage, weight: weight.storage, M: M, K: K, N: N)
        }
        return out
    }
}
