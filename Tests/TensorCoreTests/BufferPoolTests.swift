import Dispatch
import IDATestSupport
import SeededRandom
import Testing

@testable import TensorCore

@Suite struct BufferPoolTests {
    @Test func reclaimedBuffersAreReusedBySize() {
        let pool = BufferPool()
        let a = pool.allocate(count: 8), b = pool.allocate(count: 4)
        #expect(pool.allocations == 2)
        pool.reclaimAll()
        let c = pool.allocate(count: 4), d = pool.allocate(count: 8), e = pool.allocate(count: 8)
        #expect(c == b && d == a && e != a)
        #expect(pool.allocations == 3)
    }

    /// Each thread trains with its own tape (so its own pool) at the same time as the others:
    /// every thread's losses equal a serial run's, and each pool stops growing after one step.
    @Test(.tags(.concurrency))
    func tapesOnSeveralThreadsKeepTheirOwnPools() {
        let threads = 8
        @Sendable func losses(_ thread: Int) -> (losses: [Float], buffers: [Int]) {
            var rng = SplitMix64(seed: UInt64(thread))
            let w = Tensor.uniform(shape: [16, 8], in: -1...1, using: &rng, requiresGradient: true)
            let x = Tensor.uniform(shape: [32, 16], in: -1...1, using: &rng)
            let tape = Tape()
            var result: (losses: [Float], buffers: [Int]) = ([], [])
            for _ in 0..<6 {
                let loss = tape.recording { x.matmul(w).gelu().softmax().sum(axis: 0).mean() }
                tape.backward(loss)
                w.withUnsafeMutableBuffers { values, gradient in
                    for i in 0..<values.count { values[i] -= 0.1 * gradient[i] }
                }
                w.zeroGradient()
                result.losses.append(loss.item)
                result.buffers.append(tape.pooledBufferCount)
            }
            return result
        }
        let serial = (0..<threads).map(losses)
        var concurrent = [(losses: [Float], buffers: [Int])](repeating: ([], []), count: threads)
        concurrent.withUnsafeMutableBufferPointer { slots in
            let results = UncheckedSendable(slots)
            DispatchQueue.concurrentPerform(iterations: threads) { results.value[$0] = losses($0) }
        }
        #expect(concurrent.map(\.losses) == serial.map(\.losses))
        #expect(concurrent.allSatisfy { Set($0.buffers.dropFirst()).count == 1 })
    }
}
