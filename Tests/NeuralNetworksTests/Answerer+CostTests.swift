import SeededRandom
import Testing

@testable import NeuralNetworks

@Suite struct AnswererCostTests {
    @Test func countsTheLinearLayersOfASingleCellModelByHand() {
        var rng = SplitMix64(seed: 1)
        let configuration = AnswererConfiguration(
            modelDimension: 4, tokenEmbeddingDimension: 2, headCount: 1, factLayerCount: 1, questionLayerCount: 0,
            feedForwardMultiplier: 1)
        let dimensions = TaskDimensions(vocabularySize: 5, factLength: 1, questionLength: 1, answerLength: 1)
        let model = Answerer(configuration: configuration, dimensions: dimensions, rng: &rng)
        // B 1, F 2, Q 3. Encoders: 2·2·2·4 + 2·3·2·4. Cell: 4 linears 2·2·4·4, FF 2 × 2·2·4·4,
        // attention 4·1·2·2·4. Head: copyQuery 2·3·4·4, copyKey 2·2·4·4, generate/mixture hidden
        // 2 × 2·3·4·4, generate output 2·3·4·5, mixture output 2·3·4·2, copy logits 2·1·3·2·1·4.
        let expected: Double = 32 + 48 + (4 * 64 + 2 * 64 + 64) + (96 + 64 + 2 * 96 + 120 + 48 + 48)
        #expect(model.forwardMatmulFLOPs(instanceCount: 1, factCount: 2, questionCount: 3) == expected)
        #expect(model.trainingStepMatmulFLOPs(instanceCount: 1, factCount: 2, questionCount: 3) == 3 * expected)
    }
}
