// Embedding lookup: gather rows of a table by token id.
//
// Dimensions: N tokens, V table rows (vocabulary), C channels.
// Forward: out[n, :] = table[token[n], :]. Caches: none (the token ids are kept by the op).
// Backward: dTable[token[n], :] += dOut[n, :].

func embeddingForward(
    out: UnsafeMutablePointer<Float>,  // (N, C)
    table: UnsafePointer<Float>,  // (V, C)
    tokens: UnsafePointer<Int>,  // (N)
    count: Int, channels: Int
) {
    for n in 0..<count {
        (out + n * channels).update(from: table + tokens[n] * channels, count: channels)
    }
}

func embeddingBackward(
    dTable: UnsafeMutablePointer<Float>,  // (V, C)
    dOut: UnsafePointer<Float>,  // (N, C)
    tokens: UnsafePointer<Int>,  // (N)
    count: Int, channels: Int
) {
    for n in 0..<count {
        let target = dTable + tokens[n] * channels, source = dOut + n * channels
        for c in 0..<channels { target[c] += source[c] }
    }
}
