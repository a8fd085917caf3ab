import Testing
@testable import TensorCore

@Suite struct TapeTests {
    @Test func matmulThenSumGivesRowSumsAsWeightGradient() {
        let w = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4], requiresGradient: true)
        let x = Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1])
        let tape = Tape()
        let loss = tape.recording { x.matmul(w).sum() }
        #expect(loss.item == 1 + 2 + 3 + 4 + 4 + 6)
        tape.backward(loss)
        // dL/dw[k, n] = Σ_m x[m, k]
        #expect(w.gradient == [2, 2, 2, 2])
    }
}
