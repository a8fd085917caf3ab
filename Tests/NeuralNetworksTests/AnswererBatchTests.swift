import Testing

@testable import NeuralNetworks

@Suite struct AnswererBatchTests {
    @Test func nestedArraysFlattenRowMajor() {
        let batch = AnswererBatch(
            facts: [[[1, 2], [3, 4]], [[5, 6], [0, 0]]], questions: [[[1]], [[5]]], targets: [[[2, 0]], [[6, 0]]])
        #expect(batch.instanceCount == 2 && batch.factCount == 2 && batch.questionCount == 1)
        #expect(batch.facts == [1, 2, 3, 4, 5, 6, 0, 0])
        #expect(batch.targets == [2, 0, 6, 0])
        #expect(batch.factIsReal(factLength: 2) == [true, true, true, false])
    }

    @Test func allZeroQuestionsArePadding() {
        let batch = AnswererBatch(facts: [[[1]]], questions: [[[0, 0], [0, 3]]])
        #expect(batch.questionIsReal(questionLength: 2) == [false, true])
    }

    @Test func raggedInstancesTrap() async {
        await #expect(processExitsWith: .failure) {
            _ = AnswererBatch(facts: [[[1]], [[1], [2]]], questions: [[[1]], [[1]]])
        }
    }
}
