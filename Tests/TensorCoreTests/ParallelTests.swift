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
}
