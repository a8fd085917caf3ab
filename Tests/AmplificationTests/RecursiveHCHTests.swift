import Amplification
import Tasks
import Testing

@Suite struct RecursiveHCHTests {
    @Test(arguments: Fixtures.taskNames, Fixtures.presets)
    func referenceClimbsTheStaircase(taskName: String, preset: String) {
        let task = Fixtures.task(taskName, preset: preset)
        let instances = Fixtures.instances(of: task, count: 3, seed: 12)
        let contexts = InstanceContext.contexts(for: instances, task: task)
        let queries = AssistantQuery.mainQuestions(of: instances, seed: 12)
        let truth = Fixtures.truth(of: task, instances)
        for depth in 0...(truth.map(\.depth).max() ?? 0) {
            let (answers, counters) = RecursiveHCH(task: task, depth: depth).evaluate(queries, contexts: contexts)
            for (answer, expected) in zip(answers, truth) where expected.depth <= depth {
                #expect(answer == expected.answer)
            }
            #expect(counters.supervisorActions >= queries.count)
            #expect(counters.assistantCalls == 0)
        }
    }

    @Test func negativeDepthTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = RecursiveHCH(task: PermutationPowering(.tiny), depth: -2)
        }
    }
}
