// Embedding lookup: gather rows of a table by token id.
//
// Dimensions: N tokens, V table rows (vocabulary), C channels.
// Forward: out[n, :] = table[token[n], :]. Caches: none (the token ids are kept by the op).
// Backward: dTable[token[n], :] += dOut[n, :].

// Safe: pointers are the op's buffers sized (N, C), (V, C), (N); tokens were checked in 0..<V by the op.
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

// Safe: same buffers and token check as the forward, so every row read or written is inside its buffer.
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
