import SeededRandom

extension Tensor {
    /// A tensor holding `scalars` (row-major) in the given shape.
    ///
    /// With `requiresGradient: true` the tensor is a leaf parameter: it owns its memory, and
    /// backward passes accumulate into its gradient.
    public convenience init(shape: [Int], scalars: [Float], requiresGradient: Bool = false) {
        self.init(uninitializedShape: shape, requiresGradient: requiresGradient)
        precondition(
            scalars.count == count,
            "Tensor: \(scalars.count) scalars do not fill shape \(shape) (\(count) elements)")
        // Safe: scalars.count == count (precondition above); `source` does not escape.
        scalars.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { storage.update(from: base, count: count) }
        }
    }

    /// A one-element tensor of shape `[1]` (losses and scalar results have this shape).
    public convenience init(scalar: Float, requiresGradient: Bool = false) {
        self.init(shape: [1], scalars: [scalar], requiresGradient: requiresGradient)
    }

    /// A tensor of the given shape filled with `value`.
    public convenience init(repeating value: Float, shape: [Int], requiresGradient: Bool = false) {
        self.init(uninitializedShape: shape, requiresGradient: requiresGradient)
        storage.update(repeating: value, count: count)
    }

    /// A tensor of zeros.
    public static func zeros(shape: [Int], requiresGradient: Bool = false) -> Tensor {
        Tensor(repeating: 0, shape: shape, requiresGradient: requiresGradient)
    }

    /// A tensor whose values are not set: for a buffer whose owner writes each element before
    /// reading it (a decoder's cache, filled position by position), where zeroing it first would
    /// be wasted work.
    public static func unfilled(shape: [Int]) -> Tensor {
        Tensor(uninitializedShape: shape)
    }

    /// Samples from N(mean, standardDeviation²) drawn from `rng` (weight initialisation).
    public static func normal(
        shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
        using rng: inout SplitMix64, requiresGradient: Bool = false
    ) -> Tensor {
        let out = Tensor(uninitializedShape: shape, requiresGradient: requiresGradient)
        for i in 0..<out.count { out.storage[i] = mean + standardDeviation * rng.nextNormal() }
        return out
    }

    /// Samples uniformly from `range` drawn from `rng`.
    public static func uniform(
        shape: [Int], in range: ClosedRange<Float> = -1...1,
        using rng: inout SplitMix64, requiresGradient: Bool = false
    ) -> Tensor {
        let out = Tensor(uninitializedShape: shape, requiresGradient: requiresGradient)
        let width = range.upperBound - range.lowerBound
        for i in 0..<out.count { out.storage[i] = range.lowerBound + width * rng.nextUnitFloat() }
        return out
    }

    /// A new leaf with this tensor's values and shape (no history).
    public func detached(requiresGradient: Bool = false) -> Tensor {
        let out = Tensor(uninitializedShape: shape, requiresGradient: requiresGradient)
        out.storage.update(from: storage, count: count)
        return out
    }
}
