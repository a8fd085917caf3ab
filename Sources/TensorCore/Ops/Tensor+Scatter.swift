extension Tensor {
    /// Scatters these attention weights (B, Q, F) onto vocabulary bins by a token table (B, F):
    /// `out[b, q, v] = sum_f weights[b, q, f] * (tokens[b * F + f] == v)`, giving (B, Q, V).
    /// This is the copy head's distribution over words of the attended facts. Tokens of -1
    /// (padding) contribute nothing.
    /// Preconditions: rank 3; `tokens.count == B * F`; tokens in -1..<vocabularySize.
    public func scatterToVocabulary(tokens: [Int], vocabularySize: Int) -> Tensor {
        precondition(rank == 3, "scatterToVocabulary: weights must be (B, Q, F), got \(shape)")
        let (b, q, f) = (shape[0], shape[1], shape[2])
        precondition(tokens.count == b * f, "scatterToVocabulary: \(tokens.count) tokens for a (\(b), \(f)) table")
        for (position, token) in tokens.enumerated() {
            precondition(
                token >= -1 && token < vocabularySize,
                "scatterToVocabulary: token \(token) at \(position) outside -1..<\(vocabularySize)")
        }
        let out = Tensor(uninitializedShape: [b, q, vocabularySize])
        // Safe: `ids` stays in the closure; tokens are (B, F) in -1..<V (checked above), `out` is (B, Q, V).
        tokens.withUnsafeBufferPointer { ids in
            guard let base = ids.baseAddress else {
                out.storage.update(repeating: 0, count: out.count)  // no sources: all bins empty
                return
            }
            scatterToVocabularyForward(
                out: out.storage, weights: storage, tokens: base, batch: b, queries: q, sources: f, vocabulary: vocabularySize)
        }
        out.record(self) { out in
            // Safe: the captured `tokens` passed the checks above; `ids` does not escape the closure.
            tokens.withUnsafeBufferPointer { ids in
                guard let base = ids.baseAddress else { return }
                scatterToVocabularyBackward(
                    dWeights: self.gradientPointer(), dOut: out.gradientPointer(), tokens: base,
                    batch: b, queries: q, sources: f, vocabulary: vocabularySize)
            }
        }
        return out
    }
}
