import Amplification
import Tasks
import Testing

@Suite struct ConstantAssistantTests {
    @Test func unknownAnswersEveryQueryWithQuestionMarks() async throws {
        let task = PermutationPowering(.small)
        let instances = Fixtures.instances(of: task, count: 2, seed: 1)
        let contexts = InstanceContext.contexts(for: instances, task: task)
        let queries = AssistantQuery.mainQuestions(of: instances, seed: 1)
        let answers = try await ConstantAssistant.unknown(in: TaskDomain(task)).answer(queries, contexts: contexts)
        #expect(answers == Array(repeating: .tokens(Tokens(repeating: 0, count: task.answerLength)), count: queries.count))
        let text = try await ConstantAssistant.unknown(in: TextDomain()).answer(queries, contexts: contexts)
        #expect(text == Array(repeating: "unknown", count: queries.count))
        let reply = try await ConstantAssistant(answer: [4]).reply(to: queries, contexts: contexts, options: ReplyOptions())
        #expect(reply.answers == Array(repeating: [4], count: queries.count))
        #expect(reply.counters == AmplificationCounters())
        #expect(reply.traces == nil)
    }
}
