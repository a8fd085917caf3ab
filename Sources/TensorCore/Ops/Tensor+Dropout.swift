import SeededRandom

extension Tensor {
    /// Inverted dropout: each element is zeroed with `probability` and the rest scaled by
    /// `1 / (1 - probability)`; the mask comes from `rng`. Returns `self` unchanged when
    /// `probability` is 0 or `training` is false (no random numbers are drawn then).
    /// Precondition: 0 ≤ probability < 1.
    public func dropout(probability: Float, using rng: inout SplitMix64, training: Bool = true) -> Tensor {
        precondition(probability >= 0 && probability < 1, "dropout: probability \(probability) outside [0, 1)")
        guard training, probability > 0 else { return self }
        let out = Tensor(uninitializedShape: shape)
        let mask = Tensor(uninitializedShape: shape)
        dropoutForward(out: out.storage, mask: mask.storage, input: storage, count: count, probability: probability, rng: &rng)
        out.record(self) { out in
            dropoutBackward(dInput: self.gradientPointer(), mask: mask.storage, dOut: out.gradientPointer(), count: out.count)
        }
        return out
    }
}
