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

    @Test(arguments: [1, 2, 3, 8])
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
}
