import NeuralNetworks
import Testing

@testable import Distillation

@Suite struct AnswererBatchPaddingTests {
    static let dimensions = TaskDimensions(vocabularySize: 10, factLength: 2, questionLength: 1, answerLength: 1)

    @Test func shorterInstancesArePaddedWithZeroRows() {
        let batch = AnswererBatch.padded(
            facts: [[[1, 2], [3, 4]], [[5, 6]]], questions: [[[1], [3]], [[5]]], targets: [[[2], [4]], [[6]]],
            factCount: 2, questionCount: 2, dimensions: Self.dimensions)
        #expect(batch.facts == [1, 2, 3, 4, 5, 6, 0, 0])
        #expect(batch.questions == [1, 3, 5, 0])
        #expect(batch.targets == [2, 4, 6, 0])
    }

    @Test func withoutTargetsTheTargetsAreEmpty() {
        let batch = AnswererBatch.padded(
            facts: [[[1, 2]]], questions: [[[1]]], targets: nil, factCount: 3, questionCount: 2, dimensions: Self.dimensions)
        #expect(batch.targets.isEmpty)
        #expect(batch.facts.count == 6 && batch.questions.count == 2)
    }

    @Test func tooManyFactsTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = AnswererBatch.padded(
                facts: [[[1, 2], [3, 4]]], questions: [[[1]]], targets: nil, factCount: 1, questionCount: 1,
                dimensions: TaskDimensions(vocabularySize: 10, factLength: 2, questionLength: 1, answerLength: 1))
        }
    }

    @Test func wrongFactLengthTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = AnswererBatch.padded(
                facts: [[[1, 2, 3]]], questions: [[[1]]], targets: nil, factCount: 1, questionCount: 1,
                dimensions: TaskDimensions(vocabularySize: 10, factLength: 2, questionLength: 1, answerLength: 1))
        }
    }
}
