/// Reusable Float buffers for one tape: a free list per element count.
///
/// A training step allocates the same shapes in the same order every time, so after the first
/// step every request is served from a free list and the hot path does not call `malloc`.
/// `reclaimAll()` returns every handed-out buffer at once (the tape calls it on `reset()`).
// Safe: no lock needed: a pool belongs to one `Tape`, used by one thread at a time (each shard has its own).
final class BufferPool {
    private var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var inUse: [(pointer: UnsafeMutablePointer<Float>, count: Int)] = []

    /// Total buffers ever allocated (for tests of reuse).
    private(set) var allocations = 0

    /// A buffer of `count` Floats with unspecified contents.
    func allocate(count: Int) -> UnsafeMutablePointer<Float> {
        let pointer: UnsafeMutablePointer<Float>
        // Safe: free lists are keyed by count, so a reused buffer holds `count` Floats and is handed out once.
        if let reused = free[count]?.popLast() {
            pointer = reused
        } else {
            pointer = .allocate(capacity: max(count, 1))
            allocations += 1
        }
        inUse.append((pointer, count))
        return pointer
    }

    /// Makes every buffer handed out since the last call available again.
    func reclaimAll() {
        for (pointer, count) in inUse { free[count, default: []].append(pointer) }
        inUse.removeAll(keepingCapacity: true)
    }

    // Safe: each pointer is in exactly one of `inUse` and `free` (freed once); the tape detached its survivors.
    deinit {
        for (pointer, _) in inUse { pointer.deallocate() }
        for list in free.values { for pointer in list { pointer.deallocate() } }
    }
}
