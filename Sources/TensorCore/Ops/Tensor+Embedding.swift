extension Tensor {
    /// Rows of this (V, C) table gathered by token id: `tokens` laid out in `shape` gives
    /// `shape + [C]`, e.g. tokens of a (B, T) batch give (B, T, C).
    /// Preconditions: the table has rank 2; `tokens.count` fills `shape`; every token is in 0..<V.
    public func embedding(tokens: [Int], shape tokenShape: [Int]) -> Tensor {
        precondition(rank == 2, "embedding: table must be (V, C), got \(shape)")
        let vocabulary = shape[0], channels = shape[1]
        precondition(
            tokens.count == tokenShape.reduce(1, *),
            "embedding: \(tokens.count) tokens do not fill shape \(tokenShape)")
        for (position, token) in tokens.enumerated() {
            precondition(
                token >= 0 && token < vocabulary,
                "embedding: token \(token) at position \(position) outside vocabulary 0..<\(vocabulary)")
        }
        let out = Tensor(uninitializedShape: tokenShape + [channels])
        // Safe: `ids` is used only inside the closure; tokens were bounds-checked above, `out` is (N, C).
        tokens.withUnsafeBufferPointer { ids in
            if let base = ids.baseAddress {
                embeddingForward(out: out.storage, table: storage, tokens: base, count: tokens.count, channels: channels)
            }
        }
        out.record(self) { out in
            // Safe: the closure owns a copy of `tokens` (checked in 0..<V above); `ids` does not escape.
            tokens.withUnsafeBufferPointer { ids in
                if let base = ids.baseAddress {
                    embeddingBackward(
                        dTable: self.gradientPointer(), dOut: out.gradientPointer(), tokens: base,
                        count: tokens.count, channels: channels)
                }
            }
        }
        return out
    }
}
