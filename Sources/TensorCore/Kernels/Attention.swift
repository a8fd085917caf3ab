// Fused multi-head scaled dot-product attention (llm.c attention_forward/backward, without the
// QKV packing: query, key and value arrive as separate projected tensors).
//
// Dimensions: B batch, Tq query positions, Tk key positions, C channels, NH heads, hs = C / NH.
// Head h reads channels h·hs ..< (h+1)·hs of every row.
// Forward: pre[b,h,q,k] = (Q[b,q,h]·K[b,k,h]) / √hs + mask[b,q,k] (−∞ where causal hides k > q),
//          att = softmax over k, out[b,q,h] = Σ_k att[b,h,q,k] · V[b,k,h].
// Caches: att (B, NH, Tq, Tk).
// Backward: dV += attᵀ·dOut; dAtt = dOut·Vᵀ; dPre = att·(dAtt − Σ att·dAtt);
//           dQ += dPre·K / √hs; dK += dPreᵀ·Q / √hs.

/// Element strides of an additive mask broadcast to (B, Tq, Tk); 0 along broadcast axes.
struct MaskStrides {
    var batch: Int, query: Int, key: Int
}

struct AttentionDimensions {
    var batch: Int, queryLength: Int, keyLength: Int, channels: Int, heads: Int, causal: Bool
    var headSize: Int { channels / heads }
}

func attentionForward(
    out: UnsafeMutablePointer<Float>,  // (B, Tq, C)
    att: UnsafeMutablePointer<Float>,  // (B, NH, Tq, Tk)
    query: UnsafePointer<Float>,  // (B, Tq, C)
    key: UnsafePointer<Float>, value: UnsafePointer<Float>,  // (B, Tk, C), (B, Tk, C)
    mask: UnsafePointer<Float>?, maskStrides: MaskStrides,  // broadcast to (B, Tq, Tk)
    dims: AttentionDimensions
) {
    let (tq, tk, c, nh, hs) = (dims.queryLength, dims.keyLength, dims.channels, dims.heads, dims.headSize)
    let scale = 1 / Float(hs).squareRoot()
    let tasks = dims.batch * nh
    parallelChunks(tasks, grain: max(1, 32_768 / max(tq * tk * hs, 1))) { range in
        for task in range {
            let b = task / nh, h = task % nh
            for q in 0..<tq {
                let row = att + (task * tq + q) * tk
                let qRow = query + (b * tq + q) * c + h * hs
                let visible = dims.causal ? min(tk, q + tk - tq + 1) : tk
                for k in 0..<tk {
                    if k >= visible {
                        row[k] = -.infinity
                        continue
                    }
                    let kRow = key + (b * tk + k) * c + h * hs
                    var dot: Float = 0
                    for d in 0..<hs { dot += qRow[d] * kRow[d] }
                    var score = dot * scale
                    if let mask { score += mask[b * maskStrides.batch + q * maskStrides.query + k * maskStrides.key] }
                    row[k] = score
                }
                softmaxRow(out: row, input: row, width: tk)
                let o = out + (b * tq + q) * c + h * hs
                o.update(repeating: 0, count: hs)
                for k in 0..<tk where row[k] != 0 {
                    let vRow = value + (b * tk + k) * c + h * hs
                    let a = row[k]
                    for d in 0..<hs { o[d] += a * vRow[d] }
                }
            }
        }
    }
}

/// Accumulates into whichever of dQuery, dKey, dValue is non-nil; they may alias.
func attentionBackward(
    dQuery: UnsafeMutablePointer<Float>?,  // (B, Tq, C)
    dKey: UnsafeMutablePointer<Float>?, dValue: UnsafeMutablePointer<Float>?,  // (B, Tk, C)
    dOut: UnsafePointer<Float>,  // (B, Tq, C)
    att: UnsafePointer<Float>,  // (B, NH, Tq, Tk)
    query: UnsafePointer<Float>, key: UnsafePointer<Float>, value: UnsafePointer<Float>,
    dims: AttentionDimensions
) {
    let (tq, tk, c, nh, hs) = (dims.queryLength, dims.keyLength, dims.channels, dims.heads, dims.headSize)
    let scale = 1 / Float(hs).squareRoot()
    let tasks = dims.batch * nh
    parallelChunks(tasks, grain: max(1, 16_384 / max(tq * tk * hs, 1))) { range in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(tk, 1)) { scratch in
            guard let dPre = scratch.baseAddress else { return }
            for task in range {
                let b = task / nh, h = task % nh
                for q in 0..<tq {
                    let row = att + (task * tq + q) * tk
                    let dO = dOut + (b * tq + q) * c + h * hs
                    var dot: Float = 0
                    for k in 0..<tk {
                        let vRow = value + (b * tk + k) * c + h * hs
                        var dAtt: Float = 0
                        for d in 0..<hs { dAtt += dO[d] * vRow[d] }
                        dPre[k] = dAtt
                        dot += row[k] * dAtt
                        if let dValue, row[k] != 0 {
                            let dV = dValue + (b * tk + k) * c + h * hs
                            for d in 0..<hs { dV[d] += row[k] * dO[d] }
                        }
                    }
                    let qRow = query + (b * tq + q) * c + h * hs
                    let dQ = dQuery.map { $0 + (b * tq + q) * c + h * hs }
                    for k in 0..<tk where row[k] != 0 {
                        let g = row[k] * (dPre[k] - dot) * scale
                        let kRow = key + (b * tk + k) * c + h * hs
                        if let dQ { for d in 0..<hs { dQ[d] += g * kRow[d] } }
                        if let dKey {
                            let dK = dKey + (b * tk + k) * c + h * hs
                            for d in 0..<hs { dK[d] += g * qRow[d] }
                        }
                    }
                }
            }
        }
    }
}
