import Distillation
import Testing

@Suite struct TrainingExampleTests {
    @Test func startsUnused() {
        let example = TrainingExample(facts: [[1, 2]], questions: [[1], [2]], targets: [[2], [1]])
        #expect(example.uses == 0)
    }

    @Test func targetCountMustMatchQuestionCount() async {
        await #expect(processExitsWith: .failure) {
            _ = TrainingExample(facts: [[1, 2]], questions: [[1], [2]], targets: [[2]])
        }
    }
}
