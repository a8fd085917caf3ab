import SeededRandom
import Testing
import TensorCore

@testable import NeuralNetworks

@Suite struct AnswererCheckpointTests {
    @Test(arguments: [1, 2] as [UInt64])
    func saveLoadSaveGivesIdenticalBytes(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let model = Answerer(configuration: .tiny, dimensions: ToyLookup.dimensions, rng: &rng)
        let bytes = model.checkpoint().serialized()
        let restored = try Answerer(checkpoint: Checkpoint(bytes: bytes))
        #expect(restored.checkpoint().serialized() == bytes)
        #expect(restored.configuration == .tiny)
        #expect(restored.dimensions == ToyLookup.dimensions)
        let batch = ToyLookup.batch(instanceCount: 2, factCount: 3, seed: seed)
        let before = Tape.withoutRecording { model.loss(batch).item }
        let after = Tape.withoutRecording { restored.loss(batch).item }
        #expect(before == after)
    }

    @Test func loadingIntoADifferentArchitectureThrowsIncompatible() throws {
        var rng = SplitMix64(seed: 1)
        let tiny = Answerer(configuration: .tiny, dimensions: ToyLookup.dimensions, rng: &rng)
        let small = Answerer(configuration: .small, dimensions: ToyLookup.dimensions, rng: &rng)
        let untouched = small.checkpoint()
        #expect(throws: CheckpointError.self) { try small.load(tiny.checkpoint()) }
        #expect(small.checkpoint() == untouched)
    }

    @Test func wrongShapeThrowsIncompatibleNamingTheKey() {
        var rng = SplitMix64(seed: 1)
        let model = Answerer(configuration: .tiny, dimensions: ToyLookup.dimensions, rng: &rng)
        var checkpoint = model.checkpoint()
        checkpoint.parameters[0] = .init(key: checkpoint.parameters[0].key, shape: [1], values: [0])
        do {
            try model.load(checkpoint)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("facts.encoder.embedding.weight"))
        }
    }

    @Test func unreadableConfigurationThrows() {
        let checkpoint = Checkpoint(configuration: Array("not json".utf8), parameters: [])
        #expect {
            _ = try Answerer(checkpoint: checkpoint)
        } throws: { error in
            if let error = error as? CheckpointError, case .unreadableConfiguration = error { return true }
            return false
        }
    }
}
