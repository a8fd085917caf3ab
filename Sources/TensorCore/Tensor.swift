/// An n-dimensional array of `Float` values, row-major, with an optional gradient.
///
/// `Tensor` is a non-`Sendable` final class: the autodiff graph needs identity, as micrograd's
/// `Value` does. Ops are methods (`a.matmul(b)`, `x.layerNorm(…)`, `a + b`). Inside
/// ``Tape/recording(_:)`` every op whose inputs need a gradient records a backward step on the
/// tape; outside it ops only compute (inference mode).
///
/// ```swift
/// var rng = SplitMix64(seed: 1)
/// let w = Tensor.normal(shape: [3, 2], standardDeviation: 0.02, using: &rng, requiresGradient: true)
/// let x = Tensor(shape: [4, 3], scalars: Array(repeating: 1, count: 12))
/// let tape = Tape()
/// let loss = tape.recording { x.matmul(w).sum() }
/// tape.backward(loss)          // w.gradient now holds dloss/dw
/// ```
public final class Tensor {
    /// The extent of each axis; the element count is their product.
    public let shape: [Int]
    /// Number of elements.
    public let count: Int
    /// Whether gradients flow to this tensor: parameters, and op results with such an input.
    public internal(set) var requiresGradient: Bool

    /// Flat values: from the tape's pool when recorded, else owned.
    // Safe: `count` Floats, owned here, by `valuesOwner` or by `tape`'s pool; kernels index it by this shape.
    var storage: UnsafeMutablePointer<Float>
    /// Flat gradient, allocated (zeroed) on first use.
    // Safe: `count` Floats, zeroed when allocated (`gradientPointer()`), owned here or by `tape`'s pool.
    var gradientStorage: UnsafeMutablePointer<Float>?
    /// The tape whose pool holds `storage`/`gradientStorage`; nil when the tensor owns them.
    // Safe: a tape detaches every tensor that outlives a reset or the tape itself (`Tape.reset`,
    // `Tape.deinit`) and then sets this to nil, so a non-nil `tape` is alive.
    unowned(unsafe) var tape: Tape?
    /// The tensor whose values this one reads and writes (``shareValues(with:)``); nil when the
    /// values are this tensor's own. Held strongly: the values live as long as either tensor.
    private var valuesOwner: Tensor?
    /// Whether another tensor reads and writes this one's values (it is their `valuesOwner`).
    private var lendsValues = false
    /// Position on `tape` (backward walks down from the loss's index).
    var tapeIndex = 0
    /// Accumulates this tensor's gradient into its inputs' gradients.
    var backwardStep: ((Tensor) -> Void)?

    /// A tensor with uninitialised values: op results use this and write every element.
    init(uninitializedShape shape: [Int], requiresGradient: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
        self.shape = shape
        self.count = shape.reduce(1, *)
        self.requiresGradient = requiresGradient
        if !requiresGradient, let tape = Tape.current {
            // Safe: a pool buffer of `count` Floats; the tape detaches this tensor before it reuses or frees the buffer.
            storage = tape.pool.allocate(count: count)
            self.tape = tape
            tape.append(self)
        } else {
            storage = .allocate(capacity: max(count, 1))
        }
    }

    deinit {
        // Safe: frees only memory this tensor owns: pool buffers (tape != nil) belong to the pool,
        // and a borrower never frees its owner's values.
        if tape == nil {
            if valuesOwner == nil { storage.deallocate() }
            gradientStorage?.deallocate()
        }
    }

    /// Makes this parameter read and write `source`'s values from now on, keeping its own
    /// gradient: the replicas of a data-parallel step (``Shards``) share weights this way, so an
    /// optimizer step or a loaded checkpoint on `source` reaches every replica at once.
    ///
    /// - Precondition: same shape; neither tensor is an op result on a tape; no other tensor
    ///   shares this one's values (they would keep reading memory this call frees).
    public func shareValues(with source: Tensor) {
        precondition(source.shape == shape, "shareValues: shapes differ, \(shape) and \(source.shape)")
        precondition(tape == nil && source.tape == nil, "shareValues: only tensors outside a tape (parameters) can share values")
        let owner = source.valuesOwner ?? source
        guard owner !== self else { return }
        precondition(!lendsValues, "shareValues: other tensors share this tensor's values \(shape); share theirs from the source instead")
        // Safe: nothing else points at these values (no tensor borrowed them, checked above).
        if valuesOwner == nil { storage.deallocate() }
        owner.lendsValues = true
        valuesOwner = owner
        storage = owner.storage
    }

    /// Whether this tensor and `other` read and write the same values.
    public func sharesValues(with other: Tensor) -> Bool { storage == other.storage }

    /// Adds `other`'s gradient into this tensor's, then zeroes `other`'s: the reduction of a
    /// data-parallel step, replica by replica in a fixed order (deterministic sums).
    ///
    /// - Precondition: same shape.
    public func accumulateGradient(consuming other: Tensor) {
        precondition(other.shape == shape, "accumulateGradient: shapes differ, \(shape) and \(other.shape)")
        guard let source = other.gradientStorage else { return }
        let target = gradientPointer()
        // Safe: both gradients hold `count` Floats (equal shapes, precondition above); each element is read, then written.
        for index in 0..<count { target[index] += source[index] }
        source.update(repeating: 0, count: count)
    }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// A copy of the values, row-major.
    // Safe: `count` Floats, each written by the op or initialiser that made this tensor; copied, not kept.
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: storage, count: count)) }

    /// The single value of a one-element tensor (a loss).
    public var item: Float {
        precondition(count == 1, "item: tensor has \(count) elements, shape \(shape)")
        return storage[0]
    }

    /// A copy of the gradient, or nil when none has been accumulated.
    public var gradient: [Float]? {
        // Safe: `count` Floats, zeroed when allocated; copied, not kept.
        gradientStorage.map { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }

    /// The gradient buffer, allocated and zeroed on first use (kernels accumulate into it).
    func gradientPointer() -> UnsafeMutablePointer<Float> {
        if let existing = gradientStorage { return existing }
        let fresh: UnsafeMutablePointer<Float>
        // Safe: a fresh buffer of `count` Floats, initialised on the next line before anyone reads it.
        if let tape { fresh = tape.pool.allocate(count: count) } else { fresh = .allocate(capacity: max(count, 1)) }
        fresh.initialize(repeating: 0, count: count)
        gradientStorage = fresh
        return fresh
    }

    /// Sets the gradient to zero (optimizers call this on parameters between steps).
    public func zeroGradient() {
        gradientStorage?.update(repeating: 0, count: count)
    }

    /// Direct access to the values, for optimizers and checkpoint loading.
    public func withUnsafeMutableBuffer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        // Safe: bounded by `count`, and `self` keeps the memory alive for the call; the buffer must not escape `body`.
        try body(UnsafeMutableBufferPointer(start: storage, count: count))
    }

    /// Direct access to the values and the gradient (zeros if none yet), for optimizers.
    public func withUnsafeMutableBuffers<R>(
        _ body: (_ values: UnsafeMutableBufferPointer<Float>, _ gradient: UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        let g = gradientPointer()
        // Safe: both hold `count` Floats, and `self` keeps them alive for the call; they must not escape `body`.
        return try body(UnsafeMutableBufferPointer(start: storage, count: count), UnsafeMutableBufferPointer(start: g, count: count))
    }

    /// Moves pool-held values into owned memory (the tape is about to reuse its pool).
    func detachFromTape() {
        guard tape != nil else { return }
        // Safe: the pool buffer is still valid: `Tape.reset` and `Tape.deinit` detach before the pool reclaims.
        let owned = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        owned.update(from: storage, count: count)
        storage = owned
        gradientStorage = nil
        backwardStep = nil
        tape = nil
    }

    /// Records `step` as this result's backward step when a tape is recording and the input
    /// needs a gradient. Call after the forward kernel. (Fixed-arity overloads: a variadic
    /// parameter would allocate an array on every op.)
    func record(_ input: Tensor, step: @escaping (Tensor) -> Void) {
        guard tape != nil, input.requiresGradient else { return }
        requiresGradient = true
        backwardStep = step
    }

    /// As ``record(_:step:)`` for two inputs, either of which may need a gradient.
    func record(_ a: Tensor, _ b: Tensor, step: @escaping (Tensor) -> Void) {
        guard tape != nil, a.requiresGradient || b.requiresGradient else { return }
        requiresGradient = true
        backwardStep = step
    }

    /// As ``record(_:step:)`` for three inputs, any of which may need a gradient.
    func record(_ a: Tensor, _ b: Tensor, _ c: Tensor, step: @escaping (Tensor) -> Void) {
        guard tape != nil, a.requiresGradient || b.requiresGradient || c.requiresGradient else { return }
        requiresGradient = true
        backwardStep = step
    }

    /// As ``record(_:step:)`` for four or more inputs.
    func record(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ d: Tensor, _ more: Tensor..., step: @escaping (Tensor) -> Void) {
        guard tape != nil, [a, b, c, d].contains(where: \.requiresGradient) || more.contains(where: \.requiresGradient) else { return }
        requiresGradient = true
        backwardStep = step
    }

    /// Backpropagates from this one-element tensor along the tape it was recorded on.
    public func backward() {
        precondition(count == 1, "backward: loss must have one element, shape \(shape)")
        precondition(tape != nil, "backward: tensor was not recorded on a tape (call ops inside tape.recording { })")
        tape?.backward(self)
    }
}

extension Sequence where Element == Tensor {
    /// Zeroes every tensor's gradient.
    public func zeroGradients() {
        for tensor in self { tensor.zeroGradient() }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(count > 8 ? ", …" : "")])"
    }
}
