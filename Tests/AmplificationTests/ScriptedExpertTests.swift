import Amplification
import SeededRandom
import Tasks
import Testing

@Suite struct ScriptedExpertTests {
    @Test(arguments: Fixtures.taskNames, Fixtures.presets)
    func actionIsTheTasksExpertStep(taskName: String, preset: String) async throws {
        let task = Fixtures.task(taskName, preset: preset)
        let expert = ScriptedExpert(task: task)
        for instance in Fixtures.instances(of: task, count: 2, seed: 3) {
            let oracle = task.oracle(for: instance)
            for question in instance.questions {
                var transcript: [Exchange] = []
                while case .ask(let sub) = task.expertStep(question: question, transcript: transcript) {
                    let workspace = Workspace(question: question, exchanges: transcript, subquestionsLeft: 9)
                    #expect(expert.action(on: workspace) == .ask(.tokens(sub)))
                    #expect(try await expert.act(on: workspace) == .ask(.tokens(sub)))
                    transcript.append(Exchange(question: sub, answer: oracle.groundTruth(sub)))
                }
                let final = Workspace(question: question, exchanges: transcript, subquestionsLeft: 0)
                #expect(expert.action(on: final) == .answer(.tokens(oracle.groundTruth(question))))
            }
        }
    }
}
