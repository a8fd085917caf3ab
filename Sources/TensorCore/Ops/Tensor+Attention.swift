extension Tensor {
    /// Multi-head scaled dot-product attention, fused, on already projected inputs.
    ///
    /// `softmax(Q·Kᵀ / sqrt(hs) + mask) · V` per head, heads splitting the channels
    /// (hs = C / heads). Query (B, Tq, C); key and value (B, Tk, C); result (B, Tq, C). Tq may
    /// differ from Tk (cross-attention). `mask` is additive and broadcasts to (B, Tq, Tk), e.g.
    /// (B, 1, Tk) to hide padding keys or (Tq, Tk); build one from booleans with
    /// ``attentionMask(keep:shape:)``. `causal` hides key k from query q when
    /// k > q + Tk − Tq. A query that sees no key gets zeros.
    ///
    /// With `keyLength`, only the first `keyLength` positions of each batch's keys and values
    /// are read (Tk = keyLength): a cache filled in place attends without its filled part being
    /// copied out.
    ///
    /// Preconditions: ranks 3, equal B and C, equal key/value lengths, C divisible by heads,
    /// `keyLength` in 0...key length, mask broadcastable to (B, Tq, Tk).
    public static func attention(
        query: Tensor, key: Tensor, value: Tensor, keyLength: Int? = nil, mask: Tensor? = nil, heads: Int,
        causal: Bool = false
    ) -> Tensor {
        precondition(
            query.rank == 3 && key.rank == 3 && value.rank == 3,
            "attention: query, key, value must be (B, T, C), got \(query.shape), \(key.shape), \(value.shape)")
        let (b, tq, c) = (query.shape[0], query.shape[1], query.shape[2])
        let stride = key.shape[1]
        let tk = keyLength ?? stride
        precondition(
            key.shape == [b, stride, c] && value.shape == key.shape && (0...stride).contains(tk),
            "attention: key \(key.shape) and value \(value.shape) must be [\(b), Tk, \(c)] for query \(query.shape), reading \(tk)")
        precondition(heads > 0 && c % heads == 0, "attention: \(c) channels do not split into \(heads) heads")
        var strides = MaskStrides(batch: 0, query: 0, key: 0)
        if let mask {
            let padded = Array(repeating: 1, count: max(0, 3 - mask.rank)) + mask.shape
            precondition(
                padded.count == 3 && zip(padded, [b, tq, tk]).allSatisfy { $0 == $1 || $0 == 1 },
                "attention: mask \(mask.shape) does not broadcast to [\(b), \(tq), \(tk)]")
            strides = MaskStrides(
                batch: padded[0] == 1 ? 0 : padded[1] * padded[2],
                query: padded[1] == 1 ? 0 : padded[2],
                key: padded[2] == 1 ? 0 : 1)
        }
        let dims = AttentionDimensions(
            batch: b, queryLength: tq, keyLength: tk, channels: c, heads: heads, causal: causal, keyStride: stride)
        let out = Tensor(uninitializedShape: [b, tq, c])
        let att = Tensor(uninitializedShape: [b, heads, tq, tk])
        attentionForward(
            out: out.storage, att: att.storage, query: query.storage, key: key.storage, value: value.storage,
            // Safe: the mask broadcasts to (B, Tq, Tk) (checked above) and its strides are 0 on broadcast axes.
            mask: mask.map { UnsafePointer($0.storage) }, maskStrides: strides, dims: dims)
        out.record(query, key, value) { out in
            attentionBackward(
                dQuery: query.requiresGradient ? query.gradientPointer() : nil,
                dKey: key.requiresGradient ? key.gradientPointer() : nil,
                dValue: value.requiresGradient ? value.gradientPointer() : nil,
                dOut: out.gradientPointer(), att: att.storage,
                query: query.storage, key: key.storage, value: value.storage, dims: dims)
        }
        return out
    }

    /// An additive attention mask from booleans: 0 where `keep` is true, −∞ where false.
    /// Precondition: `keep.count` fills `shape`.
    public static func attentionMask(keep: [Bool], shape: [Int]) -> Tensor {
        precondition(keep.count == shape.reduce(1, *), "attentionMask: \(keep.count) flags do not fill \(shape)")
        return Tensor(shape: shape, scalars: keep.map { $0 ? 0 : -Float.infinity })
    }
}
