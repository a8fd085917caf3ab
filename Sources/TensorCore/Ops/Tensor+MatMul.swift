extension Tensor {
    /// Matrix product over the last two axes.
    ///
    /// - `self` (…, M, K) with `other` (K, N): every leading row shares `other` (a linear layer),
    ///   giving (…, M, N).
    /// - `self` (batch…, M, K) with `other` (batch…, K, N), equal batch axes: one product per
    ///   batch entry.
    /// - `transposeOther: true` reads `other` as (…, N, K), e.g. `q.matmul(k, transposeOther: true)`.
    ///
    /// Precondition: the inner dimensions agree and batch axes match.
    public func matmul(_ other: Tensor, transposeOther: Bool = false) -> Tensor {
        precondition(rank >= 2 && other.rank >= 2, "matmul: needs rank ≥ 2, got \(shape) x \(other.shape)")
        let k = shape[rank - 1]
        let otherK = transposeOther ? other.shape[other.rank - 1] : other.shape[other.rank - 2]
        let n = transposeOther ? other.shape[other.rank - 2] : other.shape[other.rank - 1]
        precondition(k == otherK, "matmul: inner dimensions differ, \(shape) x \(other.shape)\(transposeOther ? "ᵀ" : "")")
        let shared = other.rank == 2
        if !shared {
            precondition(
                Array(shape.dropLast(2)) == Array(other.shape.dropLast(2)),
                "matmul: batch axes differ, \(shape) x \(other.shape)")
        }
        // Shared weight: fold every leading axis into M. Batched: one (M, K)·(K, N) per entry.
        let batches = shared ? 1 : shape.dropLast(2).reduce(1, *)
        let m = shared ? shape.dropLast().reduce(1, *) : shape[rank - 2]
        let out = Tensor(uninitializedShape: Array(shape.dropLast()) + [n])
        let aStride = m * k, bStride = shared ? 0 : other.count / max(batches, 1), cStride = m * n
        // Safe: batch·stride + stride ≤ count for each operand (batch axes checked equal above).
        for batch in 0..<batches {
            matmulForward(
                out: out.storage + batch * cStride, a: storage + batch * aStride,
                b: other.storage + batch * bStride, m: m, k: k, n: n, transposeB: transposeOther)
        }
        out.record(self, other) { out in
            let dA = self.requiresGradient ? self.gradientPointer() : nil
            let dB = other.requiresGradient ? other.gradientPointer() : nil
            let dOut = out.gradientPointer()
            for batch in 0..<batches {
                matmulBackward(
                    dA: dA.map { $0 + batch * aStride }, dB: dB.map { $0 + batch * bStride },
                    dOut: dOut + batch * cStride, a: self.storage + batch * aStride,
                    b: other.storage + batch * bStride, m: m, k: k, n: n, transposeB: transposeOther)
            }
        }
        return out
    }
}
