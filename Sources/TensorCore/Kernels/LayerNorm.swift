// Fused layer normalisation over the last axis (llm.c layernorm_forward/backward).
//
// Dimensions: N rows (every leading axis folded), C channels.
// Forward: mean = Σx/C, rstd = 1/√(Σ(x − mean)²/C + ε), out = (x − mean)·rstd·weight + bias.
// Caches: mean (N), rstd (N).
// Backward (n̂ = (x − mean)·rstd, g = dOut·weight):
//   dBias += dOut, dWeight += dOut·n̂, dx += rstd·(g − mean(g) − n̂·mean(g·n̂)).

// Safe: buffers are (N, C), (N), (N) and (C); chunks own disjoint rows of out, mean and rstd.
func layerNormForward(
    out: UnsafeMutablePointer<Float>,  // (N, C)
    mean: UnsafeMutablePointer<Float>,  // (N)
    rstd: UnsafeMutablePointer<Float>,  // (N)
    input: UnsafePointer<Float>,  // (N, C)
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,  // (C), (C)
    rows: Int, channels: Int, epsilon: Float
) {
    parallelChunks(rows, grain: 4096 / max(channels, 1) + 1) { range in
        for row in range {
            let x = input + row * channels, o = out + row * channels
            var m: Float = 0
            for c in 0..<channels { m += x[c] }
            m /= Float(channels)
            var v: Float = 0
            for c in 0..<channels { v += (x[c] - m) * (x[c] - m) }
            let s = 1 / (v / Float(channels) + epsilon).squareRoot()
            for c in 0..<channels { o[c] = (x[c] - m) * s * weight[c] + bias[c] }
            mean[row] = m
            rstd[row] = s
        }
    }
}

// Safe: chunks write disjoint rows of dInput; dWeight and dBias are written by the calling thread only.
func layerNormBackward(
    dInput: UnsafeMutablePointer<Float>?,  // (N, C)
    dWeight: UnsafeMutablePointer<Float>?, dBias: UnsafeMutablePointer<Float>?,  // (C), (C)
    dOut: UnsafePointer<Float>,  // (N, C)
    input: UnsafePointer<Float>, weight: UnsafePointer<Float>,  // (N, C), (C)
    mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,  // (N), (N)
    rows: Int, channels: Int
) {
    if let dInput {
        parallelChunks(rows, grain: 4096 / max(channels, 1) + 1) { range in
            for row in range {
                let x = input + row * channels, d = dOut + row * channels, dx = dInput + row * channels
                let m = mean[row], s = rstd[row]
                var meanG: Float = 0, meanGN: Float = 0
                for c in 0..<channels {
                    let g = d[c] * weight[c]
                    meanG += g
                    meanGN += g * (x[c] - m) * s
                }
                meanG /= Float(channels)
                meanGN /= Float(channels)
                for c in 0..<channels {
                    let n = (x[c] - m) * s
                    dx[c] += s * (d[c] * weight[c] - meanG - n * meanGN)
                }
            }
        }
    }
    // Parameter gradients sum over rows: one thread, so every channel accumulates in order.
    for row in 0..<rows {
        let x = input + row * channels, d = dOut + row * channels
        let m = mean[row], s = rstd[row]
        if let dWeight { for c in 0..<channels { dWeight[c] += d[c] * (x[c] - m) * s } }
        if let dBias { for c in 0..<channels { dBias[c] += d[c] } }
    }
}
