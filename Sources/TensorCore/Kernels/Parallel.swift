import COpenBLAS
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Online processors, read once (hardware, not configuration).
let processorCount = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

/// Runs `body` over `0..<count` split into contiguous chunks, in parallel when there is at least
/// `grain` work items per chunk. `DispatchQueue.concurrentPerform` costs about 0.3 µs per
/// fork/join; below the grain the loop runs on the calling thread. Never call BLAS inside `body`.
/// Inside a ``Shards/forEach(_:_:)`` body every chunk runs on the calling thread: the shards
/// already occupy the cores.
@inline(__always)
func parallelChunks(_ count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
    let chunks = Shards.isRunningShard ? 1 : min(processorCount, count / max(grain, 1))
    if chunks <= 1 {
        body(0..<count)
        return
    }
    // Safe: chunk c covers [c·count/chunks, (c+1)·count/chunks), disjoint ranges that tile
    // 0..<count; a kernel body writes only its range's outputs, and `body` does not escape
    // because concurrentPerform returns after every chunk.
    withoutActuallyEscaping(body) { escapable in
        let shared = UncheckedSendable(escapable)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            shared.value((chunk * count / chunks)..<((chunk + 1) * count / chunks))
        }
    }
}

/// Carries a kernel body into `concurrentPerform`.
// Safe: only `parallelChunks`, `forEachGemmChunk` and `Shards.run` wrap a body, each over
// disjoint work, and each joins before it returns (the value never outlives the call).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Data parallelism: independent pieces of work (one shard of a batch each, with its own tape and
/// its own gradients) run side by side, one per core, with every kernel inside them serial.
///
/// Splitting each op across the cores pays one fork/join per op, hundreds per training step of a
/// small model; splitting the batch pays one per step. Inside a shard the kernels see
/// ``isRunningShard`` and neither split loops nor products, so threads never multiply.
public enum Shards {
    /// Runs `body(shard)` for every shard in `0..<count`, concurrently when the machine has more
    /// than one core and OpenBLAS is single-threaded (else one after another, so that OpenBLAS's
    /// threads and the shards never multiply), and returns when all are done. `body` must touch
    /// only its own shard's tensors and tape (parameters may be read by all).
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        let concurrently = count > 1 && processorCount > 1 && !isRunningShard && openblas_get_num_threads() == 1
        run(count, concurrently: concurrently, body)
    }

    /// ``forEach(_:_:)`` with the choice made: concurrent shards, each marked as a shard, or the
    /// shards one after another on the calling thread (whose kernels may then split).
    static func run(_ count: Int, concurrently: Bool, _ body: (Int) -> Void) {
        guard concurrently else {
            for shard in 0..<count { body(shard) }
            return
        }
        // Safe: each shard index runs once, its body touches only that shard's tape, tensors and
        // result slot (reading shared parameters), and concurrentPerform joins before returning.
        withoutActuallyEscaping(body) { escapable in
            let shared = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: count) { shard in
                isRunningShard = true
                defer { isRunningShard = false }
                shared.value(shard)
            }
        }
    }

    /// Whether the current thread is running a shard's body (its kernels stay on this thread).
    static var isRunningShard: Bool {
        get { pthread_getspecific(shardKey) != nil }
        // Safe: the pointer is a marker compared with nil, never dereferenced.
        set { pthread_setspecific(shardKey, newValue ? UnsafeRawPointer(bitPattern: 1) : nil) }
    }
}

/// Marks the threads running a shard; thread-local, so other work on other threads is unaffected.
private let shardKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()
