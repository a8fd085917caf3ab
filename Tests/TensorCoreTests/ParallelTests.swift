import Dispatch
import IDATestSupport
import SeededRandom
import Testing

@testable import TensorCore

@Suite struct ParallelTests {
    @Test(arguments: [0, 1, 7, 1000, 100_003])
    func chunksCoverEveryIndexExactlyOnce(count: Int) {
        let hits = UnsafeMutablePointer<Int32>.allocate(capacity: max(count, 1))
        defer { hits.deallocate() }
        hits.initialize(repeating: 0, count: max(count, 1))
        parallelChunks(count, grain: 100) { range in
            for i in range { hits[i] += 1 }
        }
        #expect((0..<count).allSatisfy { hits[$0] == 1 })
    }

    @Test(arguments: [1, 2, 3, 8])
    func everyShardRunsOnce(count: Int) {
        let hits = UnsafeMutablePointer<Int32>.allocate(capacity: count)
        defer { hits.deallocate() }
        hits.initialize(repeating: 0, count: count)
        Shards.forEach(count) { hits[$0] += 1 }
        #expect((0..<count).allSatisfy { hits[$0] == 1 })
    }

    @Test(.tags(.concurrency), arguments: [1, 2, 3, 8])
    func concurrentShardsRunOnceWithSerialKernelsInside(count: Int) {
        let hits = UnsafeMutablePointer<Int32>.allocate(capacity: count)
        let serial = UnsafeMutablePointer<Bool>.allocate(capacity: count)
        defer { hits.deallocate(); serial.deallocate() }
        hits.initialize(repeating: 0, count: count)
        serial.initialize(repeating: false, count: count)
        Shards.run(count, concurrently: true) { shard in
            hits[shard] += 1
            // A kernel inside a shard runs as one chunk on the shard's own thread.
            var chunks = 0
            parallelChunks(1_000_000, grain: 1) { _ in chunks += 1 }
            serial[shard] = chunks == 1
        }
        #expect((0..<count).allSatisfy { hits[$0] == 1 && serial[$0] })
        #expect(!Shards.isRunningShard)
    }

    /// Values and input gradients of softmax, layer norm, GELU and attention on `x`.
    static func kernelResults(_ x: Tensor, _ w: Tensor, _ b: Tensor) -> [[Float]] {
        [x, w, b].zeroGradients()
        let tape = Tape()
        var values: [[Float]] = []
        let loss = tape.recording { () -> Tensor in
            let normed = x.layerNorm(weight: w, bias: b)
            let attended = Tensor.attention(
                query: normed.reshaped([16, 128, 32]), key: normed.reshaped([16, 128, 32]), value: x.reshaped([16, 128, 32]),
                heads: 4, causal: true)  // (B, T, C)
            let outputs = [x.softmax(), normed.gelu(), attended]
            values = outputs.map(\.scalars)
            return outputs.map { $0.logSoftmax().sum() }.reduce(Tensor(scalar: 0), +)
        }
        tape.backward(loss)
        return values + [x, w, b].map { $0.gradient ?? [] }
    }

    /// Outside a shard the kernels split their rows across threads; inside one they run serially.
    /// Both must give the same bits (each row is computed by one thread either way).
    @Test(.tags(.concurrency), arguments: [1 as UInt64, 2])
    func splitKernelsEqualTheirSerialResults(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let x = Tensor.uniform(shape: [2048, 32], in: -2...2, using: &rng, requiresGradient: true)  // (N, C)
        let w = Tensor.uniform(shape: [32], in: 0.5...1.5, using: &rng, requiresGradient: true)
        let b = Tensor.uniform(shape: [32], in: -0.5...0.5, using: &rng, requiresGradient: true)
        let split = Self.kernelResults(x, w, b)
        var serial: [[Float]] = []
        Shards.run(1, concurrently: true) { _ in serial = Self.kernelResults(x, w, b) }
        #expect(split == serial)
    }

    /// Shards with their own tapes and pools, reading weights they share by value, give the
    /// losses and gradients of the same work done one shard after another.
    @Test(.tags(.concurrency), arguments: [2, 4])
    func shardsWithTheirOwnTapesMatchSerialResults(count: Int) {
        var rng = SplitMix64(seed: 7)
        let weight = Tensor.uniform(shape: [24, 16], in: -1...1, using: &rng, requiresGradient: true)
        let bias = Tensor.uniform(shape: [16], in: -1...1, using: &rng, requiresGradient: true)
        let inputs = (0..<count).map { _ in Tensor.uniform(shape: [40, 24], in: -1...1, using: &rng) }
        func run(concurrently: Bool) -> [[Float]] {
            let replicas = (0..<count).map { _ in
                (Tensor.zeros(shape: [24, 16], requiresGradient: true), Tensor.zeros(shape: [16], requiresGradient: true))
            }
            for (w, b) in replicas {
                w.shareValues(with: weight)
                b.shareValues(with: bias)
            }
            let tapes = (0..<count).map { _ in Tape() }
            var results = [[Float]](repeating: [], count: count)
            results.withUnsafeMutableBufferPointer { slots in
                Shards.run(count, concurrently: concurrently) { shard in
                    let (w, b) = replicas[shard]
                    for _ in 0..<3 {  // repeated steps reuse each tape's pool
                        w.zeroGradient()
                        b.zeroGradient()
                        let loss = tapes[shard].recording { inputs[shard].linearReLU(weight: w, bias: b).softmax().log().mean() }
                        tapes[shard].backward(loss)
                        slots[shard] = [loss.item] + (w.gradient ?? []) + (b.gradient ?? [])
                    }
                }
            }
            return results
        }
        let serial = run(concurrently: false)
        #expect(run(concurrently: true) == serial)
        #expect(serial.allSatisfy { $0.count == 1 + 24 * 16 + 16 })
    }
}
