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
@inline(__always)
func parallelChunks(_ count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
    let chunks = min(processorCount, count / max(grain, 1))
    if chunks <= 1 {
        body(0..<count)
        return
    }
    // Kernels write disjoint ranges of their output buffers, which the compiler cannot see.
    withoutActuallyEscaping(body) { escapable in
        let shared = UncheckedSendable(escapable)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            shared.value((chunk * count / chunks)..<((chunk + 1) * count / chunks))
        }
    }
}

/// Carries a kernel body into `concurrentPerform`; sound because each chunk touches its own range.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
