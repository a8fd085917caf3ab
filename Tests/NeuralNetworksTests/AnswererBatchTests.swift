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

    @Test(arguments: [0..<2, 1..<3, 2..<3, 0..<0])
    func instancesSliceEveryArrayByInstance(range: Range<Int>) {
        let batch = AnswererBatch(
            facts: [[[1, 2]], [[3, 4]], [[5, 6]]], questions: [[[1], [2]], [[3], [4]], [[5], [6]]],
            targets: [[[7], [8]], [[9], [10]], [[11], [12]]])
        let slice = batch.instances(range)
        let expected = AnswererBatch(
            facts: Array([[[1, 2]], [[3, 4]], [[5, 6]]][range]), questions: Array([[[1], [2]], [[3], [4]], [[5], [6]]][range]),
            targets: Array([[[7], [8]], [[9], [10]], [[11], [12]]][range]))
        #expect(slice.facts == expected.facts && slice.questions == expected.questions && slice.targets == expected.targets)
        #expect(slice.instanceCount == range.count && slice.factCount == 1 && slice.questionCount == 2)
    }

    @Test func instancesOutOfRangeTrap() async {
        await #expect(processExitsWith: .failure) {
            _ = AnswererBatch(facts: [[[1, 2]]], questions: [[[1]]]).instances(0..<2)
        }
    }
}
