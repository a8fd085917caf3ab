import Testing
@testable import TensorCore

@Suite(.serialized) struct BLASTests {
    @Test func threadCountCanBeSetAndRestored() {
        let original = BLAS.threadCount
        BLAS.threadCount = 1
        #expect(BLAS.threadCount == 1)
        BLAS.threadCount = original
        #expect(BLAS.threadCount == original)
    }

    @Test func zeroThreadsTraps() async {
        await #expect(processExitsWith: .failure) { BLAS.threadCount = 0 }
    }
}
