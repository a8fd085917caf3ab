import SeededRandom
import Testing
import TensorCore

@testable import NeuralNetworks

@Suite struct AnswerHeadTests {
    static let dimensions = TaskDimensions(vocabularySize: 11, factLength: 3, questionLength: 2, answerLength: 2)

    @Test(arguments: [0, 1])
    func outputsHaveTheDocumentedShapes(position: Int) {
        var rng = SplitMix64(seed: 1)
        let head = AnswerHead(position: position, configuration: .tiny, dimensions: Self.dimensions, rng: &rng)
        let questions = Tensor.zeros(shape: [2, 5, 32])
        let facts = Tensor.zeros(shape: [2, 4, 32])
        let h = head.input(questionStates: questions, previousTokens: [Int](repeating: 1, count: 2 * 5 * position))
        #expect(h.shape == [2, 5, position == 0 ? 32 : 64])
        let o = head.outputs(input: h, factStates: facts)
        #expect(o.copyQuery.shape == [2, 5, 3 * 32])
        #expect(o.copyKey.shape == [2, 4, 3 * 32])
        #expect(o.mixture.shape == [2, 5, 4])
        #expect(o.generate.shape == [2, 5, 11])
    }

    @Test func onlyLaterPositionsEncodeThePrefix() {
        var rng = SplitMix64(seed: 1)
        let first = AnswerHead(position: 0, configuration: .tiny, dimensions: Self.dimensions, rng: &rng)
        let second = AnswerHead(position: 1, configuration: .tiny, dimensions: Self.dimensions, rng: &rng)
        #expect(first.previous == nil)
        #expect(second.previous?.length == 1)
        #expect(!first.parameters().contains { $0.key.hasPrefix("previous") })
        #expect(second.parameters().first?.key == "previous.embedding.weight")
    }
}
