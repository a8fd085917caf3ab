// A fully connected layer as one op: the bias is written into the output before the matrix
// product accumulates onto it (beta = 1), and the backward sums the bias gradient in one pass.
//
// Dimensions: M rows (every leading axis folded), K inputs, N outputs.
// Forward: out[m, n] = b[n] + Σ_k x[m, k] · W[k, n]. Caches: none.
// Backward (accumulating): dx += dOut · Wᵀ, dW += xᵀ · dOut, db[n] += Σ_m dOut[m, n].
// `linearReLU` fuses max(0, ·) on the output: forward clamps in place, backward zeroes dOut where
// the output is 0 (in place: the op's own output gradient, read by no one else) first.
//
// Threads: when OpenBLAS runs single-threaded (`BLAS.threadCount == 1`), big products are split
// across the cores here, by rows of the output (forward, dx) and by columns of dW and db
// (backward), each chunk one single-threaded `cblas_sgemm`. Otherwise OpenBLAS's own threads
// parallelise and nothing is split. Either way only one of the two runs threads (STYLE.md).

import COpenBLAS
import Dispatch

/// Chunks to split a product of `work` multiply-adds into: 1 unless OpenBLAS is single-threaded,
/// the caller is not already one of ``Shards``, and the product is big enough (≥ 2¹⁷
/// multiply-adds per chunk) to repay a fork/join.
func gemmChunkCount(work: Int, limit: Int) -> Int {
    guard openblas_get_num_threads() == 1, !Shards.isRunningShard else { return 1 }
    return max(1, min(processorCount, limit, work >> 17))
}

/// Runs `body(chunk)` for every chunk in 0..<chunks, in parallel when chunks > 1; `body` may call
/// single-threaded BLAS (see the file header).
// Safe: chunks run once each and join before return; callers give each chunk disjoint output memory.
func forEachGemmChunk(_ chunks: Int, _ body: (Int) -> Void) {
    if chunks == 1 {
        body(0)
        return
    }
    withoutActuallyEscaping(body) { escapable in
        let shared = UncheckedSendable(escapable)
        DispatchQueue.concurrentPerform(iterations: chunks) { shared.value($0) }
    }
}

/// out (M, N) = x (M, K) · w (K, N) + b (N), rows split into chunks.
// Safe: chunk c owns output rows [c·M/chunks, (c+1)·M/chunks); buffers are (M, K), (K, N), (N), (M, N).
func linearForward(
    out: UnsafeMutablePointer<Float>,  // (M, N)
    input: UnsafePointer<Float>,  // (M, K)
    weight: UnsafePointer<Float>,  // (K, N)
    bias: UnsafePointer<Float>,  // (N)
    M: Int, K: Int, N: Int
) {
    guard M > 0, N > 0 else { return }  // nothing to write (CBLAS rejects zero leading dimensions)
    let chunks = gemmChunkCount(work: M * K * N, limit: M)
    forEachGemmChunk(chunks) { chunk in
        let (first, last) = (chunk * M / chunks, (chunk + 1) * M / chunks)
        for m in first..<last { (out + m * N).update(from: bias, count: N) }
        guard K > 0 else { return }  // an empty product: the rows are the bias
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(last - first), Int32(N), Int32(K),
            1, input + first * K, Int32(K), weight, Int32(N), 1, out + first * N, Int32(N))
    }
}

/// Accumulates dInput (M, K), dWeight (K, N), dBias (N); nil skips an input. Chunk c computes
/// rows c of dInput and columns c of dWeight and dBias, so chunks never write the same memory.
// Safe: chunk c owns rows c of dInput and columns c of dWeight and dBias; chunks ≤ min(M, N), none empty.
func linearBackward(
    dInput: UnsafeMutablePointer<Float>?, dWeight: UnsafeMutablePointer<Float>?, dBias: UnsafeMutablePointer<Float>?,
    dOut: UnsafePointer<Float>,  // (M, N)
    input: UnsafePointer<Float>,  // (M, K)
    weight: UnsafePointer<Float>,  // (K, N)
    M: Int, K: Int, N: Int
) {
    guard M > 0, N > 0 else { return }  // every gradient term is an empty sum
    let chunks = gemmChunkCount(work: M * K * N, limit: min(M, N))
    forEachGemmChunk(chunks) { chunk in
        if let dInput, K > 0 {
            let (first, last) = (chunk * M / chunks, (chunk + 1) * M / chunks)
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(last - first), Int32(K), Int32(N),
                1, dOut + first * N, Int32(N), weight, Int32(N), 1, dInput + first * K, Int32(K))
        }
        let (first, last) = (chunk * N / chunks, (chunk + 1) * N / chunks)
        if let dWeight, K > 0 {
            cblas_sgemm(
                CblasRowMajor, CblasTrans, CblasNoTrans, Int32(K), Int32(last - first), Int32(M),
                1, input, Int32(K), dOut + first, Int32(N), 1, dWeight + first, Int32(N))
        }
        if let dBias {
            for m in 0..<M {
                let row = dOut + m * N
                for n in first..<last { dBias[n] += row[n] }
            }
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
        affine(weight: weight, bias: bias, clampsAtZero: false, op: "linear")
    }

    /// `relu(self·weight + bias)` in one op: the feed-forward block's first half.
    ///
    /// - Precondition: as ``linear(weight:bias:)``.
    public func linearReLU(weight: Tensor, bias: Tensor) -> Tensor {
        affine(weight: weight, bias: bias, clampsAtZero: true, op: "linearReLU")
    }

    /// The op behind both: with `clampsAtZero` the forward clamps the output in place and the
    /// backward zeroes dOut where the output is 0 (the op's own gradient, read by no one else).
    private func affine(weight: Tensor, bias: Tensor, clampsAtZero: Bool, op: String) -> Tensor {
        precondition(
            rank >= 1 && weight.rank == 2 && weight.shape[0] == shape[rank - 1] && bias.shape == [weight.shape[1]],
            "\(op): shapes disagree, input \(shape), weight \(weight.shape), bias \(bias.shape)")
        let (K, N) = (weight.shape[0], weight.shape[1])
        let M = shape.dropLast().reduce(1, *)  // rows, also when K = 0
        let out = Tensor(uninitializedShape: Array(shape.dropLast()) + [N])  // (…, N)
        linearForward(out: out.storage, input: storage, weight: weight.storage, bias: bias.storage, M: M, K: K, N: N)
        if clampsAtZero {
            let values = out.storage
            // Safe: `out` has `out.count` elements, written by linearForward above.
            for i in 0..<out.count where values[i] < 0 { values[i] = 0 }
        }
        out.record(self, weight, bias) { out in
            let dOut = out.gradientPointer()
            if clampsAtZero {
                for i in 0..<out.count where out.storage[i] <= 0 { dOut[i] = 0 }
            }
            linearBackward(
                dInput: self.requiresGradient ? self.gradientPointer() : nil,
                dWeight: weight.requiresGradient ? weight.gradientPointer() : nil,
                dBias: bias.requiresGradient ? bias.gradientPointer() : nil,
                dOut: dOut, input: self.storage, weight: weight.storage, M: M, K: K, N: N)
        }
        return out
    }
}
