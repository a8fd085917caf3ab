import Amplification
import Dispatch
import Foundation
import IDATestSupport
import NeuralNetworks
import SeededRandom
import Tasks
import Testing

@testable import Distillation

@Suite struct NeuralAssistantTests {
    static func model(for task: any AmplificationTask, seed: UInt64) -> Answerer {
        var rng = SplitMix64(seed: seed)
        return Answerer(configuration: .tiny, dimensions: Distiller.dimensions(of: task), rng: &rng)
    }

    static func instances(_ task: any AmplificationTask, count: Int, seed: UInt64) -> [TaskInstance] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { index in task.makeInstance(size: index % 2 == 0 ? task.size : task.minimumSize, using: &rng) }
    }

    /// Queries that interleave instances: instance i's questions alternate with the others'.
    static func interleavedQueries(_ instances: [TaskInstance]) -> [AssistantQuery] {
        var queries: [AssistantQuery] = []
        let longest = instances.map(\.questions.count).max() ?? 0
        for q in 0..<longest {
            for (i, instance) in instances.enumerated() where q < instance.questions.count {
                queries.append(AssistantQuery(context: i, question: .tokens(instance.questions[q]), seed: UInt64(queries.count)))
            }
        }
        return queries
    }

    @Test(arguments: TestFixtures.taskNames)
    func oneBatchedForwardPerCallGroupedByInstance(taskName: String) async throws {
        let task = TestFixtures.task(taskName)
        let instances = Self.instances(task, count: 3, seed: 4)
        let statistics = NeuralAssistantStatistics()
        let assistant = NeuralAssistant(model: Self.model(for: task, seed: 1), mode: .greedy, statistics: statistics)
        let contexts = InstanceContext.contexts(for: instances, task: task)
        // Only instances 0 and 2 are asked about: the batch holds two instances, not three.
        let queries = Self.interleavedQueries(instances).filter { $0.context != 1 }
        let answers = try await assistant.answer(queries, contexts: contexts)
        #expect(answers.count == queries.count)
        #expect(answers.allSatisfy { $0.count == task.answerLength })
        let passes = statistics.forwardPasses
        #expect(passes.count == 1)
        #expect(passes.first?.instances == 2)
        #expect(passes.first?.questions == max(instances[0].questions.count, instances[2].questions.count))
        #expect(contexts[0].groundTruthAnswersConsumed == 0)
    }

    /// Greedy answers do not depend on how queries are grouped into calls or ordered.
    @Test(arguments: TestFixtures.taskNames)
    func greedyAnswersMatchOneInstanceAtATime(taskName: String) throws {
        let task = TestFixtures.task(taskName)
        let instances = Self.instances(task, count: 3, seed: 9)
        let assistant = NeuralAssistant(model: Self.model(for: task, seed: 2), mode: .greedy)
        let contexts = InstanceContext.contexts(for: instances, task: task)
        let queries = Self.interleavedQueries(instances)
        let together = assistant.answers(to: queries, contexts: contexts)
        for (index, query) in queries.enumerated() {
            let alone = assistant.answers(to: [query], contexts: contexts)
            #expect(alone == [together[index]], "query \(index) answered differently alone")
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func sampledAnswersAreReproducibleFromQuerySeeds(seed: UInt64) {
        let task = TestFixtures.task("wildcard")
        let instances = Self.instances(task, count: 4, seed: seed)
        let assistant = NeuralAssistant(model: Self.model(for: task, seed: seed), mode: .sampled)
        let contexts = InstanceContext.contexts(for: instances, task: task)
        let queries = AssistantQuery.mainQuestions(of: instances, seed: seed)
        #expect(assistant.answers(to: queries, contexts: contexts) == assistant.answers(to: queries, contexts: contexts))
    }

    @Test func layoutPadsFactsAndQuestionsToTheLargestInstance() {
        let task = TestFixtures.task("permutation")
        let instances = Self.instances(task, count: 2, seed: 3)  // sizes 5 and 4
        let queries = AssistantQuery.mainQuestions(of: instances, seed: 1)
        let layout = NeuralAssistant.layout(queries, instances: instances, dimensions: Distiller.dimensions(of: task))
        #expect(layout.batch.instanceCount == 2)
        #expect(layout.batch.factCount == 5)
        #expect(layout.rows.count == queries.count)
        #expect(Set(layout.rows).count == queries.count)
        let Q = layout.batch.questionCount
        #expect(layout.rows[0] == 0 && layout.rows[instances[0].questions.count] == Q)
    }

    @Test func emptyCallAnswersNothing() {
        let task = TestFixtures.task("permutation")
        let assistant = NeuralAssistant(model: Self.model(for: task, seed: 1))
        #expect(assistant.answers(to: [], contexts: []).isEmpty)
    }

    @Test func queryOutsideTheContextsTraps() async {
        await #expect(processExitsWith: .failure) {
            let task = PermutationPowering(.tiny)
            var rng = SplitMix64(seed: 1)
            let model = Answerer(configuration: .tiny, dimensions: Distiller.dimensions(of: task), rng: &rng)
            let instance = task.makeInstance(size: 4, using: &rng)
            let contexts = InstanceContext.contexts(for: [instance], task: task)
            _ = NeuralAssistant(model: model).answers(
                to: [AssistantQuery(context: 3, question: .tokens(instance.questions[0]), seed: 1)], contexts: contexts)
        }
    }

    /// One assistant answers from several threads at once (decoding only reads the weights):
    /// each call gives the serial answers, and every forward pass is recorded.
    @Test(.tags(.concurrency)) func concurrentCallsGiveTheSerialAnswers() {
        let task = TestFixtures.task(TestFixtures.taskNames[0])
        let instances = Self.instances(task, count: 4, seed: 12)
        let contexts = InstanceContext.contexts(for: instances, task: task)
        let statistics = NeuralAssistantStatistics()
        let assistant = NeuralAssistant(model: Self.model(for: task, seed: 3), mode: .sampled, statistics: statistics)
        let all = Self.interleavedQueries(instances)
        let calls = (0..<8).map { call in all.enumerated().filter { $0.offset % 4 != call % 4 }.map(\.element) }
        let serial = calls.map { assistant.answers(to: $0, contexts: contexts) }
        let box = AnswerSlots(count: calls.count)
        DispatchQueue.concurrentPerform(iterations: calls.count) { call in
            box.store(assistant.answers(to: calls[call], contexts: contexts), at: call)
        }
        #expect(box.answers == serial)
        #expect(statistics.forwardPasses.count == 2 * calls.count)
    }
}

/// Answers written by several threads, one slot each.
private final class AnswerSlots: @unchecked Sendable {
    // Safe: every access holds `lock`.
    private let lock = NSLock()
    private var slots: [[Tokens]]

    init(count: Int) { slots = Array(repeating: [], count: count) }

    func store(_ answers: [Tokens], at index: Int) { lock.withLock { slots[index] = answers } }

    var answers: [[Tokens]] { lock.withLock { slots } }
}
