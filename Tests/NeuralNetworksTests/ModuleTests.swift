import SeededRandom
import Testing

@testable import NeuralNetworks

@Suite struct ModuleTests {
    @Test func prefixesKeysAndCountsValues() {
        var rng = SplitMix64(seed: 1)
        let layer = Linear(inputCount: 3, outputCount: 2, rng: &rng)
        #expect(layer.parameters(prefix: "head").map(\.key) == ["head.weight", "head.bias"])
        #expect(layer.parameterCount == 8)
    }

    @Test func answererParameterCountMatchesThePyTorchTwin() {
        // Benchmarks/pytorch/answerer_step.py with its defaults (small, V 32, lengths 4/4/2)
        // reports 273866 parameters.
        var rng = SplitMix64(seed: 1)
        let dimensions = TaskDimensions(vocabularySize: 32, factLength: 4, questionLength: 4, answerLength: 2)
        #expect(Answerer(configuration: .small, dimensions: dimensions, rng: &rng).parameterCount == 273_866)
    }
}
