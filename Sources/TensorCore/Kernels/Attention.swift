// Fused multi-head scaled dot-product attention (llm.c attention_forward/backward, without the
// QKV packing: query, key and value arrive as separate projected tensors).
//
// Dimensions: B batch, Tq query positions, Tk key positions, C channels, NH heads, hs = C / NH.
// Head h reads channels h·hs ..< (h+1)·hs of every row.
// Forward: pre[b,h,q,k] = (Q[b,q,h]·K[b,k,h]) / √hs + mask[b,q,k] (−∞ where causal hides k > q),
//          att = softmax over k, out[b,q,h] = Σ_k att[b,h,q,k] · V[b,k,h].
// Caches: att (B, NH, Tq, Tk).
// Per (b, h) the products run as strided CBLAS calls (lda = C picks one head's channels);
// tasks run in parallel only when OpenBLAS is single-threaded, never both at once.
// One query row (Tq = 1, a cached decoder's token) runs as plain loops instead: a dot per key and
// a weighted sum of value rows, too small for a BLAS call and its packing to pay. Each is one
// FMA chain (over channels for a score, over keys for an output), the order in which OpenBLAS's
// Haswell and Zen kernels sum every head size, and its SkylakeX and Cooperlake kernels head sizes
// 9 to 16 (H′'s is 16) — there the results equal the CBLAS path's bit for bit; those AVX-512
// kernels sum other head sizes against 32 keys or more in another order, a rounding apart, so
// the tests compare with a tolerance.
// Backward: dV += attᵀ·dOut; dAtt = dOut·Vᵀ; dPre = att·(dAtt − Σ att·dAtt);
//           dQ += dPre·K / √hs; dK += dPreᵀ·Q / √hs.

import COpenBLAS

/// Element strides of an additive mask broadcast to (B, Tq, Tk); 0 along broadcast axes.
struct MaskStrides {
    var batch: Int, query: Int, key: Int
}

struct AttentionDimensions {
    var batch: Int, queryLength: Int, keyLength: Int, channels: Int, heads: Int, causal: Bool
    /// Positions from one batch's keys and values to the next's: ≥ keyLength, larger when only
    /// the first keyLength positions of a longer buffer are read.
    var keyStride: Int
    var headSize: Int { channels / heads }
}

// Safe: task (b, h) writes only its att block and its head's columns of out rows b; strides stay in (B, T, C).
func attentionForward(
    out: UnsafeMutablePointer<Float>,  // (B, Tq, C)
    att: UnsafeMutablePointer<Float>,  // (B, NH, Tq, Tk)
    query: UnsafePointer<Float>,  // (B, Tq, C)
    key: UnsafePointer<Float>, value: UnsafePointer<Float>,  // (B, keyStride, C), first Tk positions read
    mask: UnsafePointer<Float>?, maskStrides: MaskStrides,  // broadcast to (B, Tq, Tk)
    dims: AttentionDimensions
) {
    let (tq, tk, c, nh, hs) = (dims.queryLength, dims.keyLength, dims.channels, dims.heads, dims.headSize)
    let scale = 1 / Float(hs).squareRoot()
    guard tq > 0, tk > 0, hs > 0 else {
        out.update(repeating: 0, count: dims.batch * tq * c)  // no keys: nothing to attend to
        return
    }
    if tq == 1 {
        attentionForwardOneRow(out: out, att: att, query: query, key: key, value: value, mask: mask, maskStrides: maskStrides, dims: dims)
        return
    }
    headTasks(dims) { task in
        let b = task / nh, h = task % nh
        let scores = att + task * tq * tk  // (Tq, Tk)
        let q = query + b * tq * c + h * hs, k = key + b * dims.keyStride * c + h * hs
        let v = value + b * dims.keyStride * c + h * hs
        // scores (Tq, Tk) = scale · Q_h (Tq, hs) · K_hᵀ (hs, Tk)
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(tq), Int32(tk), Int32(hs),
            scale, q, Int32(c), k, Int32(c), 0, scores, Int32(tk))
        for i in 0..<tq {
            let row = scores + i * tk
            if let mask {
                let m = mask + b * maskStrides.batch + i * maskStrides.query
                for j in 0..<tk { row[j] += m[j * maskStrides.key] }
            }
            if dims.causal {
                let visible = max(0, min(tk, i + tk - tq + 1))
                for j in visible..<tk { row[j] = -.infinity }
            }
            softmaxRow(inPlace: row, width: tk)
        }
        // out_h (Tq, hs) = att (Tq, Tk) · V_h (Tk, hs)
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(tq), Int32(hs), Int32(tk),
            1, scores, Int32(tk), v, Int32(c), 0, out + b * tq * c + h * hs, Int32(c))
    }
}

/// ``attentionForward`` for Tq = 1 (every key visible, causal or not).
// Safe: as attentionForward, with Tq = 1.
private func attentionForwardOneRow(
    out: UnsafeMutablePointer<Float>,  // (B, 1, C)
    att: UnsafeMutablePointer<Float>,  // (B, NH, 1, Tk)
    query: UnsafePointer<Float>,  // (B, 1, C)
    key: UnsafePointer<Float>, value: UnsafePointer<Float>,  // (B, keyStride, C), first Tk positions read
    mask: UnsafePointer<Float>?, maskStrides: MaskStrides,  // broadcast to (B, 1, Tk)
    dims: AttentionDimensions
) {
    let (tk, c, nh, hs) = (dims.keyLength, dims.channels, dims.heads, dims.headSize)
    let scale = 1 / Float(hs).squareRoot()
    headTasks(dims) { task in
        let b = task / nh, h = task % nh
        let scores = att + task * tk  // (1, Tk)
        let q = query + b * c + h * hs, k = key + b * dims.keyStride * c + h * hs
        let v = value + b * dims.keyStride * c + h * hs
        // scores[j] = scale · Q_h · K_h[j], eight keys at a time in the lanes of a vector
        var j = 0
        while j + 8 <= tk {
            let kj = k + j * c
            var sums = SIMD8<Float>(repeating: 0)
            for i in 0..<hs {
                let column = SIMD8<Float>(
                    kj[i], kj[c + i], kj[2 * c + i], kj[3 * c + i], kj[4 * c + i], kj[5 * c + i], kj[6 * c + i], kj[7 * c + i])
                sums = sums.addingProduct(SIMD8(repeating: q[i]), column)
            }
            for lane in 0..<8 { scores[j + lane] = scale * sums[lane] }
            j += 8
        }
        while j < tk {
            let kj = k + j * c
            var sum: Float = 0
            for i in 0..<hs { sum = sum.addingProduct(q[i], kj[i]) }
            scores[j] = scale * sum
            j += 1
        }
        if let mask {
            let m = mask + b * maskStrides.batch
            for j in 0..<tk { scores[j] += m[j * maskStrides.key] }
        }
        softmaxRow(inPlace: scores, width: tk)
        // out_h = Σ_j att[j] · V_h[j], eight channels at a time
        let o = out + b * c + h * hs
        var i = 0
        while i + 8 <= hs {
            var sums = SIMD8<Float>(repeating: 0)
            for j in 0..<tk {
                sums = sums.addingProduct(SIMD8(repeating: scores[j]), UnsafeRawPointer(v + j * c + i).loadUnaligned(as: SIMD8<Float>.self))
            }
            UnsafeMutableRawPointer(o + i).storeBytes(of: sums, as: SIMD8<Float>.self)
            i += 8
        }
        while i < hs {
            var sum: Float = 0
            for j in 0..<tk { sum = sum.addingProduct(scores[j], v[j * c + i]) }
            o[i] = sum
            i += 1
        }
    }
}

/// Accumulates into whichever of dQuery, dKey, dValue is non-nil; they may alias (the products
/// of one task run one after another, and tasks touch disjoint (b, h) blocks).
// Safe: task (b, h) writes only head h's columns of rows b of dQ, dK, dV; dPre is task-local scratch.
func attentionBackward(
    dQuery: UnsafeMutablePointer<Float>?,  // (B, Tq, C)
    dKey: UnsafeMutablePointer<Float>?, dValue: UnsafeMutablePointer<Float>?,  // (B, keyStride, C)
    dOut: UnsafePointer<Float>,  // (B, Tq, C)
    att: UnsafePointer<Float>,  // (B, NH, Tq, Tk)
    query: UnsafePointer<Float>, key: UnsafePointer<Float>, value: UnsafePointer<Float>,
    dims: AttentionDimensions
) {
    let (tq, tk, c, nh, hs) = (dims.queryLength, dims.keyLength, dims.channels, dims.heads, dims.headSize)
    let scale = 1 / Float(hs).squareRoot()
    guard tq > 0, tk > 0, hs > 0 else { return }
    headTasks(dims) { task in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(tq * tk, 1)) { scratch in
            guard let dPre = scratch.baseAddress else { return }  // (Tq, Tk)
            let b = task / nh, h = task % nh
            let a = att + task * tq * tk  // (Tq, Tk)
            let offsetQ = b * tq * c + h * hs, offsetK = b * dims.keyStride * c + h * hs
            let dO = dOut + offsetQ
            // dAtt (Tq, Tk) = dO_h (Tq, hs) · V_hᵀ (hs, Tk)
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(tq), Int32(tk), Int32(hs),
                1, dO, Int32(c), value + offsetK, Int32(c), 0, dPre, Int32(tk))
            // dPre = att · (dAtt − Σ att·dAtt) · scale, row by row
            for i in 0..<tq {
                let row = a + i * tk, d = dPre + i * tk
                var dot: Float = 0
                for j in 0..<tk { dot += row[j] * d[j] }
                for j in 0..<tk { d[j] = row[j] * (d[j] - dot) * scale }
            }
            if let dValue {
                // dV_h (Tk, hs) += attᵀ (Tk, Tq) · dO_h (Tq, hs)
                cblas_sgemm(
                    CblasRowMajor, CblasTrans, CblasNoTrans, Int32(tk), Int32(hs), Int32(tq),
                    1, a, Int32(tk), dO, Int32(c), 1, dValue + offsetK, Int32(c))
            }
            if let dQuery {
                // dQ_h (Tq, hs) += dPre (Tq, Tk) · K_h (Tk, hs)
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(tq), Int32(hs), Int32(tk),
                    1, dPre, Int32(tk), key + offsetK, Int32(c), 1, dQuery + offsetQ, Int32(c))
            }
            if let dKey {
                // dK_h (Tk, hs) += dPreᵀ (Tk, Tq) · Q_h (Tq, hs)
                cblas_sgemm(
                    CblasRowMajor, CblasTrans, CblasNoTrans, Int32(tk), Int32(hs), Int32(tq),
                    1, dPre, Int32(tk), query + offsetQ, Int32(c), 1, dKey + offsetK, Int32(c))
            }
        }
    }
}

/// Runs `body` for every (b, h) task: in parallel chunks when OpenBLAS is single-threaded
/// (so BLAS and Swift threads never multiply), else one after another.
private func headTasks(_ dims: AttentionDimensions, _ body: (Int) -> Void) {
    let tasks = dims.batch * dims.heads
    if openblas_get_num_threads() == 1 {
        let work = max(dims.queryLength * dims.keyLength * dims.headSize, 1)
        parallelChunks(tasks, grain: max(1, 16_384 / work)) { range in
            for task in range { body(task) }
        }
    } else {
        for task in 0..<tasks { body(task) }
    }
}
