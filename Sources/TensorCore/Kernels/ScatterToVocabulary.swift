// Scatter of attention weights onto vocabulary bins (the copy head's distribution).
//
// Dimensions: B batch, Q query rows, F source positions (fact words), V vocabulary.
// Forward: out[b, q, v] = Σ_f weights[b, q, f] · [tokens[b, f] == v] (tokens of −1 are skipped).
// Caches: none (the token table is kept by the op).
// Backward: dWeights[b, q, f] += dOut[b, q, tokens[b, f]].

// Safe: buffers are (B, Q, V), (B, Q, F), (B, F); the op checked every token in -1..<V and skips -1.
func scatterToVocabularyForward(
    out: UnsafeMutablePointer<Float>,  // (B, Q, V)
    weights: UnsafePointer<Float>,  // (B, Q, F)
    tokens: UnsafePointer<Int>,  // (B, F)
    batch: Int, queries: Int, sources: Int, vocabulary: Int
) {
    out.update(repeating: 0, count: batch * queries * vocabulary)
    for b in 0..<batch {
        let ids = tokens + b * sources
        for q in 0..<queries {
            let w = weights + (b * queries + q) * sources, o = out + (b * queries + q) * vocabulary
            for f in 0..<sources where ids[f] >= 0 { o[ids[f]] += w[f] }
        }
    }
}

// Safe: same buffers and token check as the forward; dWeights is (B, Q, F).
func scatterToVocabularyBackward(
    dWeights: UnsafeMutablePointer<Float>,  // (B, Q, F)
    dOut: UnsafePointer<Float>,  // (B, Q, V)
    tokens: UnsafePointer<Int>,  // (B, F)
    batch: Int, queries: Int, sources: Int, vocabulary: Int
) {
    for b in 0..<batch {
        let ids = tokens + b * sources
        for q in 0..<queries {
            let dw = dWeights + (b * queries + q) * sources, d = dOut + (b * queries + q) * vocabulary
            for f in 0..<sources where ids[f] >= 0 { dw[f] += d[ids[f]] }
        }
    }
}
