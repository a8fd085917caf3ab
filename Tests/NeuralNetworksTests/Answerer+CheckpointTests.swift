import PropertyBased
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

    @Test func parameterCountMatchesTheBuiltModel() async {
        let sizes = Gen.int(in: 1...3)
        await propertyCheck(count: 30, input: sizes, sizes, sizes, Gen.int(in: 0...2), Gen.int(in: 1...3), Gen.int(in: 2...6)) {
            heads, embedding, multiplier, layers, answerLength, vocabulary in
            let configuration = AnswererConfiguration(
                modelDimension: 2 * heads, tokenEmbeddingDimension: embedding, headCount: heads, factLayerCount: layers,
                questionLayerCount: 2 - layers, feedForwardMultiplier: multiplier)
            let dimensions = TaskDimensions(
                vocabularySize: vocabulary, factLength: embedding + 1, questionLength: heads, answerLength: answerLength)
            var rng = SplitMix64(seed: 1)
            let model = Answerer(configuration: configuration, dimensions: dimensions, rng: &rng)
            let count = Answerer.parameterCount(configuration: configuration, dimensions: dimensions, atMost: .max)
            #expect(count == model.parameterCount)
            #expect(Answerer.parameterCount(configuration: configuration, dimensions: dimensions, atMost: model.parameterCount - 1) == nil)
        }
    }

    /// A checkpoint whose configuration JSON is `json` and whose parameters are `model`'s.
    static func checkpoint(_ json: String) -> Checkpoint {
        var rng = SplitMix64(seed: 1)
        let model = Answerer(configuration: .tiny, dimensions: ToyLookup.dimensions, rng: &rng)
        return Checkpoint(configuration: Array(json.utf8), parameters: model.checkpoint().parameters)
    }

    // Found while writing CheckpointFuzzTests (a file with a recomputed checksum reaches them):
    // these configurations trapped in `Answerer.init` or asked it for more memory than the
    // machine has, before the checkpoint's parameters were compared with the model.
    @Test(arguments: [
        (#"{"modelDimension":0,"tokenEmbeddingDimension":16,"headCount":2,"factLayerCount":1,"questionLayerCount":1,"feedForwardMultiplier":4}"#,
         "sizes must be positive"),
        (#"{"modelDimension":32,"tokenEmbeddingDimension":16,"headCount":3,"factLayerCount":1,"questionLayerCount":1,"feedForwardMultiplier":4}"#,
         "not a multiple of headCount"),
        (#"{"modelDimension":2147483647,"tokenEmbeddingDimension":16,"headCount":1,"factLayerCount":1,"questionLayerCount":1,"feedForwardMultiplier":4}"#,
         "describes more than"),
        (#"{"modelDimension":32,"tokenEmbeddingDimension":16,"headCount":2,"factLayerCount":9223372036854775807,"questionLayerCount":1,"feedForwardMultiplier":4}"#,
         "describes more than"),
    ])
    func configurationFromTheFileIsCheckedBeforeTheModelIsBuilt(configuration: String, message: String) {
        let dimensions = #"{"vocabularySize":12,"factLength":3,"questionLength":2,"answerLength":1}"#
        let checkpoint = Self.checkpoint(#"{"configuration":\#(configuration),"dimensions":\#(dimensions)}"#)
        do {
            _ = try Answerer(checkpoint: checkpoint)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains(message), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    // Found by InstanceFileFuzzTests in the instance reader; the configuration goes through the
    // same decoder: 513 opening brackets that end the text trapped inside Foundation.
    @Test func deeplyNestedConfigurationIsUnreadable() {
        let checkpoint = Checkpoint(configuration: Array(String(repeating: "[", count: 513).utf8), parameters: [])
        #expect(throws: CheckpointError.unreadableConfiguration("arrays and objects nest deeper than 64 levels")) {
            try Answerer(checkpoint: checkpoint)
        }
    }

    @Test func answerLengthBeyondTheFileIsRejectedWithoutBuilding() {
        let json = #"{"configuration":{"modelDimension":32,"tokenEmbeddingDimension":16,"headCount":2,"factLayerCount":1,"questionLayerCount":1,"feedForwardMultiplier":4},"dimensions":{"vocabularySize":12,"factLength":3,"questionLength":2,"answerLength":9223372036854775807}}"#
        #expect(throws: CheckpointError.self) { try Answerer(checkpoint: Self.checkpoint(json)) }
    }

    @Test func aKeyWithALineBreakIsEscapedInTheMessage() {
        var rng = SplitMix64(seed: 1)
        let model = Answerer(configuration: .tiny, dimensions: ToyLookup.dimensions, rng: &rng)
        var checkpoint = model.checkpoint()
        checkpoint.parameters[0].key = "facts\nencoder"
        #expect(throws: CheckpointError.incompatible(
            #"key facts\nencoder where the model has facts.encoder.embedding.weight"#)) { try model.load(checkpoint) }
    }
}
