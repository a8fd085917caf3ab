import SeededRandom
import Testing
@testable import TensorCore

@Suite struct TensorTests {
    @Test func creationFillsValuesAndShape() {
        let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(t.shape == [2, 3] && t.count == 6 && t.rank == 2)
        #expect(Tensor.zeros(shape: [2, 2]).scalars == [0, 0, 0, 0])
        #expect(Tensor(repeating: 3, shape: [3]).scalars == [3, 3, 3])
        #expect(Tensor(scalar: 4).item == 4)
        #expect(t.detached().scalars == t.scalars)
        #expect(t.description.hasPrefix("Tensor(shape: [2, 3]"))
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func seededInitialisationIsReproducibleWithTheRequestedMoments(seed: UInt64) {
        var a = SplitMix64(seed: seed), b = SplitMix64(seed: seed)
        let x = Tensor.normal(shape: [100, 100], mean: 1, standardDeviation: 0.5, using: &a)
        #expect(x.scalars == Tensor.normal(shape: [100, 100], mean: 1, standardDeviation: 0.5, using: &b).scalars)
        let mean = x.scalars.reduce(0, +) / 10_000
        let variance = x.scalars.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 10_000
        #expect(abs(mean - 1) < 0.02 && abs(variance.squareRoot() - 0.5) < 0.02)
        let u = Tensor.uniform(shape: [1000], in: -0.1...0.1, using: &a).scalars
        #expect(u.allSatisfy { $0 >= -0.1 && $0 <= 0.1 })
    }

    @Test func mutableBuffersExposeValuesAndGradient() {
        let w = Tensor(shape: [2], scalars: [1, 2], requiresGradient: true)
        w.withUnsafeMutableBuffers { values, gradient in
            gradient[1] = 5
            values[0] -= 0.5 * gradient[1]
        }
        #expect(w.scalars == [-1.5, 2])
        #expect(w.gradient == [0, 5])
    }

    @Test func scalarCountMismatchTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor(shape: [2, 2], scalars: [1, 2, 3]) }
    }

    @Test func itemOfAManyElementTensorTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.zeros(shape: [2]).item }
    }

    @Test func negativeExtentTraps() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.zeros(shape: [2, -1]) }
    }

    @Test func sharedValuesAreWrittenThroughBothTensorsAndOutliveTheSource() {
        var source: Tensor? = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4], requiresGradient: true)
        let replica = Tensor.zeros(shape: [2, 2], requiresGradient: true)
        replica.shareValues(with: source ?? replica)
        #expect(replica.scalars == [1, 2, 3, 4] && replica.sharesValues(with: source ?? replica))
        source?.withUnsafeMutableBuffer { $0[0] = 9 }
        #expect(replica.scalars == [9, 2, 3, 4])
        source = nil  // the replica keeps the values alive
        #expect(replica.scalars == [9, 2, 3, 4])
    }

    @Test func sharedValuesKeepSeparateGradients() {
        let source = Tensor(shape: [3], scalars: [1, 2, 3], requiresGradient: true)
        let replica = Tensor.zeros(shape: [3], requiresGradient: true)
        replica.shareValues(with: source)
        let tape = Tape()
        let loss = tape.recording { (replica * replica).sum() }
        tape.backward(loss)
        #expect(replica.gradient == [2, 4, 6])
        #expect(source.gradient == nil)
        source.accumulateGradient(consuming: replica)
        #expect(source.gradient == [2, 4, 6])
        #expect(replica.gradient == [0, 0, 0])
    }

    @Test func sharingBackOrThroughABorrowerKeepsOneLiveBuffer() {
        let source = Tensor(shape: [2], scalars: [1, 2], requiresGradient: true)
        let replica = Tensor.zeros(shape: [2], requiresGradient: true)
        replica.shareValues(with: source)
        source.shareValues(with: replica)  // already shared: nothing is freed
        let second = Tensor.zeros(shape: [2], requiresGradient: true)
        second.shareValues(with: replica)  // borrows from the owner, not from the borrower
        source.withUnsafeMutableBuffer { $0[1] = 7 }
        #expect(source.scalars == [1, 7] && replica.scalars == [1, 7] && second.scalars == [1, 7])
        #expect(second.sharesValues(with: source))
    }

    @Test func aTensorWhoseValuesAreBorrowedCannotBorrowOthers() async {
        await #expect(processExitsWith: .failure) {
            let (owner, borrower, other) = (
                Tensor.zeros(shape: [2], requiresGradient: true), Tensor.zeros(shape: [2], requiresGradient: true),
                Tensor(shape: [2], scalars: [1, 2], requiresGradient: true)
            )
            borrower.shareValues(with: owner)
            owner.shareValues(with: other)  // would free the values `borrower` still reads
            _ = borrower.scalars
        }
    }

    @Test func sharingValuesOfADifferentShapeTraps() async {
        await #expect(processExitsWith: .failure) {
            Tensor.zeros(shape: [2], requiresGradient: true).shareValues(with: Tensor.zeros(shape: [3], requiresGradient: true))
        }
    }

    @Test func accumulatingAGradientOfADifferentShapeTraps() async {
        await #expect(processExitsWith: .failure) {
            Tensor.zeros(shape: [2], requiresGradient: true).accumulateGradient(consuming: Tensor.zeros(shape: [3], requiresGradient: true))
        }
    }
}
