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
}
