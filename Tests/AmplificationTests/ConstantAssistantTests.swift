import Amplification
import Tasks
import Testing

@Suite struct ConstantAssistantTests {
    @Test func unknownAnswersEveryQueryWithQuestionMarks() async throws {
        let task = PermutationPowering(.small)
        let instances = Fixtures.instances(of: task, count: 2, seed: 1)
        let contexts = InstanceContext.contexts(for: instances, task: task)
        let queries = AssistantQuery.mainQuestions(of: instances, seed: 1)
        let answers = try await ConstantAssistant.unknown(answerLength: 3).answer(queries, contexts: contexts)
        #expect(answers == Array(repeating: [0, 0, 0], count: queries.count))
        let reply = try await ConstantAssistant(answer: [4]).reply(to: queries, contexts: contexts, options: ReplyOptions())
        #expect(reply.answers == Array(repeating: [4], count: queries.count))
        #expect(reply.counters == AmplificationCounters())
        #expect(reply.traces == nil)
    }
}
