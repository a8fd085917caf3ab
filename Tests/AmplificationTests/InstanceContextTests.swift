import Amplification
import Tasks
import Testing

@Suite struct InstanceContextTests {
    @Test func contextsShareOneLedgerThatCountsGroundTruth() {
        let task = PermutationPowering(.small)
        let instances = Fixtures.instances(of: task, count: 3, seed: 2)
        let contexts = InstanceContext.contexts(for: instances, task: task)
        #expect(contexts.map(\.instance) == instances)
        let truth = Fixtures.truth(of: task, instances)
        #expect(contexts[1].groundTruth(.tokens(instances[1].questions[0])) == truth[instances[0].questions.count].answer)
        _ = contexts[2].groundTruth(.tokens(instances[2].questions[0]))
        #expect(contexts[0].groundTruthAnswersConsumed == 2)
        #expect(contexts[0].depth(of: .tokens(instances[0].questions[0])) == truth[0].depth)
        #expect(contexts[0].groundTruthAnswersConsumed == 2)
    }
}
