#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Records ops in creation order and runs their backward steps in reverse.
///
/// A training step owns one tape and reuses it: ``recording(_:)`` resets the tape (its buffers go
/// back to the pool, so steady-state steps allocate nothing), makes it the current tape on this
/// thread, and runs the forward pass; ``backward(_:)`` walks the recorded results from the loss
/// down, calling each backward step whose result received a gradient. Creation order is a
/// topological order, so no sort is needed.
///
/// Ops outside any `recording` record nothing and allocate owned memory: that is inference mode.
/// Tensors that outlive a reset (the loss you print, logits you keep) are copied out of the pool
/// first, so they stay valid; only their gradients and backward steps are dropped.
public final class Tape {
    var nodes: [Tensor] = []
    let pool = BufferPool()
    private var isRecording = false

    public init() {}

    /// Number of tensors recorded since the last reset.
    public var recordedCount: Int { nodes.count }

    /// Buffers the pool has allocated so far (steady at a fixed value once steps repeat).
    public var pooledBufferCount: Int { pool.allocations }

    /// Resets the tape, then runs `body` with this tape recording on the current thread.
    /// Precondition: this tape is not already recording (a nested reset would free the outer
    /// forward pass's buffers); nest a different tape instead.
    public func recording<Result>(_ body: () throws -> Result) rethrows -> Result {
        precondition(!isRecording, "recording: this tape is already recording; use a second Tape to nest")
        reset()
        let previous = Tape.current
        Tape.current = self
        isRecording = true
        defer {
            Tape.current = previous
            isRecording = false
        }
        return try body()
    }

    /// Runs `body` with no tape recording on this thread (inference inside a training step).
    public static func withoutRecording<Result>(_ body: () throws -> Result) rethrows -> Result {
        let previous = Tape.current
        Tape.current = nil
        defer { Tape.current = previous }
        return try body()
    }

    /// Seeds `loss`'s gradient with 1 and runs the recorded backward steps in reverse order.
    /// Parameters' gradients accumulate (`+=`) until ``Tensor/zeroGradient()``.
    public func backward(_ loss: Tensor) {
        precondition(loss.count == 1, "backward: loss must have one element, shape \(loss.shape)")
        precondition(loss.tape === self, "backward: loss was not recorded on this tape")
        loss.gradientPointer()[0] += 1
        // Creation order is topological: every input was created before the result reading it.
        for index in stride(from: loss.tapeIndex, through: 0, by: -1) {
            let node = nodes[index]
            // A result no gradient reached contributes nothing.
            if node.gradientStorage != nil, let step = node.backwardStep { step(node) }
        }
    }

    /// Forgets every recorded result and returns its buffers to the pool. Results still
    /// referenced elsewhere are copied out first.
    public func reset() {
        precondition(!isRecording, "reset: the tape is recording")
        for node in nodes { node.backwardStep = nil }  // drop the graph's references to inputs
        for index in nodes.indices where !isKnownUniquelyReferenced(&nodes[index]) {
            nodes[index].detachFromTape()
        }
        nodes.removeAll(keepingCapacity: true)
        pool.reclaimAll()
    }

    func append(_ tensor: Tensor) {
        tensor.tapeIndex = nodes.count
        nodes.append(tensor)
    }

    deinit {
        for node in nodes { node.backwardStep = nil }
        for index in nodes.indices where !isKnownUniquelyReferenced(&nodes[index]) {
            nodes[index].detachFromTape()
        }
        // Tensors only the tape held die with `nodes` without touching pool memory (tape is set).
    }
}

/// The tape recording on this thread, if any. Thread-local so that tests running in parallel,
/// each with its own tape, never see each other's.
private let currentTapeKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

extension Tape {
    /// The tape recording on the current thread, or nil (inference mode).
    static var current: Tape? {
        get {
            // Safe: unretained: only `recording` sets it, during a call on that (live) tape, and restores it before returning.
            pthread_getspecific(currentTapeKey).map { Unmanaged<Tape>.fromOpaque($0).takeUnretainedValue() }
        }
        set {
            pthread_setspecific(currentTapeKey, newValue.map { Unmanaged.passUnretained($0).toOpaque() })
        }
    }
}
