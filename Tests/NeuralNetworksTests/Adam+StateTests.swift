import SeededRandom
import Testing

@testable import NeuralNetworks
@testable import TensorCore

@Suite struct AdamStateTests {
    static func parameters(seed: UInt64) -> [Tensor] {
        var rng = SplitMix64(seed: seed)
        return [[3, 2], [4]].map { Tensor.normal(shape: $0, standardDeviation: 1, using: &rng, requiresGradient: true) }
    }

    static func step(_ adam: Adam, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for tensor in adam.parameters {
            tensor.withUnsafeMutableBuffers { _, gradient in
                for i in 0..<gradient.count { gradient[i] = rng.nextNormal() }
            }
        }
        adam.step()
    }

    /// Restoring a snapshot into a fresh optimizer continues bit for bit like the original.
    @Test(arguments: [UInt64(1), 2, 3])
    func restoredOptimizerContinuesIdentically(seed: UInt64) throws {
        let original = Adam(parameters: Self.parameters(seed: seed))
        for k in 0..<3 { Self.step(original, seed: seed &+ UInt64(k)) }
        let snapshot = try Checkpoint(bytes: original.stateCheckpoint().serialized())
        let copies = original.parameters.map { Tensor(shape: $0.shape, scalars: $0.scalars, requiresGradient: true) }
        let restored = Adam(parameters: copies)
        try restored.restore(snapshot)
        #expect(restored.stepCount == 3)
        Self.step(original, seed: 99)
        Self.step(restored, seed: 99)
        #expect(original.parameters.map(\.scalars) == restored.parameters.map(\.scalars))
    }

    @Test func snapshotOfOtherShapesIsIncompatible() {
        let adam = Adam(parameters: Self.parameters(seed: 1))
        var rng = SplitMix64(seed: 1)
        let other = Adam(parameters: [Tensor.normal(shape: [5], standardDeviation: 1, using: &rng, requiresGradient: true)])
        #expect(throws: CheckpointError.self) { try adam.restore(other.stateCheckpoint()) }
    }

    /// `Checkpoint.Parameter.values` is a public `var`: a snapshot can carry more values than its
    /// shape holds. Restoring one must throw, not write past the last parameter's moments.
    @Test(arguments: [1, 5])
    func momentsWithMoreValuesThanTheirShapeAreIncompatible(extra: Int) {
        let adam = Adam(parameters: Self.parameters(seed: 1))
        var snapshot = adam.stateCheckpoint()
        let last = snapshot.parameters.count - 1
        snapshot.parameters[last].values += [Float](repeating: 1, count: extra)
        #expect(throws: CheckpointError.self) { try adam.restore(snapshot) }
        #expect(adam.stepCount == 0)
    }

    @Test func unreadableStepCountIsRejected() {
        let adam = Adam(parameters: Self.parameters(seed: 1))
        var snapshot = adam.stateCheckpoint()
        snapshot.configuration = Array("{\"stepCount\":-4}".utf8)
        #expect(throws: CheckpointError.self) { try adam.restore(snapshot) }
    }
}
