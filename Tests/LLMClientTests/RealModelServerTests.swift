import Amplification
import Application
import Foundation
import LLMClient
import LanguageModels
import Store
import Testing

let modelServerURL = ProcessInfo.processInfo.environment["IDA_LLM_TEST_URL"]

/// The whole path against a real model server (`scripts/model-server start`, which `scripts/test`
/// runs): IDA_LLM_TEST_URL and IDA_LLM_TEST_MODEL name it. A 135M-parameter model answers badly;
/// these tests check the machinery, not the model.
@Suite(.serialized, .enabled(if: modelServerURL != nil, "no model server: set IDA_LLM_TEST_URL"))
struct RealModelServerTests {
    static let url = modelServerURL
    static let model = ProcessInfo.processInfo.environment["IDA_LLM_TEST_MODEL"] ?? "smollm2"

    func client(meter: UsageMeter? = nil, model: String = Self.model) -> OpenAICompatibleClient {
        OpenAICompatibleClient(.init(baseURL: Self.url!, model: model, timeout: 120, concurrentRequests: 2), meter: meter)
    }

    @Test func theServerServesTheModelAndNamesItWhenAnotherIsAsked() async throws {
        try await client().checkModel()
        let error = await #expect(throws: LLMClientError.self) { try await client(model: "no-such-model").checkModel() }
        guard case .unknownModel(let name, _, let available)? = error else {
            Issue.record("expected unknownModel, got \(String(describing: error))")
            return
        }
        #expect(name == "no-such-model")
        #expect(available.contains(Self.model))
    }

    @Test func aCompletionComesBackWithItsTokens() async throws {
        let reply = try await client().complete(
            ChatRequest(messages: [ChatMessage(.user, "Say hello.")], temperature: 0, maximumTokens: 16))
        #expect(!reply.content.isEmpty)
        #expect(reply.promptTokens > 0)
        #expect(reply.completionTokens > 0 && reply.completionTokens <= 16)
    }

    /// The model as the supervisor of a text question, its replies cached in a real SQLite file:
    /// the second run makes no request and grows the same tree.
    @Test func aModelSupervisesATreeAndTheCacheReplaysIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ida-llm-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("ida.sqlite").path)
        let job = TextJob(
            questions: [TextFacts(question: "What colour is the car?", facts: ["The car is red.", "The bike is blue."])],
            depth: 1, assistant: .llm)
        let domain = TextDomain()

        func ask() async throws -> (run: String, result: AmplificationResult, usage: ModelUsage) {
            let meter = UsageMeter(budget: ModelBudget(requests: 200))
            let chat = CachedChatModel(client(meter: meter), cache: StoreResponseCache(store: store), meter: meter)
            let settings = ModelSettings(maximumTokens: 48, attempts: 2, concurrentRequests: 2)
            let (run, result) = try await job.start(
                in: store, domain: domain,
                supervisor: LanguageModelSupervisor(domain: domain, model: chat, meter: meter, settings: settings),
                assistant: LanguageModelAssistant(domain: domain, model: chat, meter: meter, settings: settings),
                schedule: "ask")
            return (run, result, meter.usage)
        }

        let first = try await ask()
        #expect(first.usage.requests > 0 && first.usage.cachedReplies == 0)
        #expect(first.usage.tokens > 0)
        let tree = try #require(first.result.traces?.first)
        #expect(tree.answeredBy == .llm(Self.model) || tree.answeredBy == .budget)
        #expect(try store.run(id: first.run).status == .completed)
        #expect(try !store.workspaces(run: first.run).isEmpty)

        let second = try await ask()
        #expect(second.usage.requests == 0)
        #expect(second.usage.cachedReplies == first.usage.requests)
        #expect(second.result.traces == first.result.traces)
        #expect(second.result.answers == first.result.answers)

        // The run's decisions as fine-tuning data: the model's answers and steps, in its prompts.
        let export = try TrainingExport.examples(of: first.run, in: store, split: 1)
        let answers = export.examples.filter { $0.role == .answerer }
        #expect(!answers.isEmpty)
        #expect(export.examples.allSatisfy { $0.meta.agent == "llm:\(Self.model)" && $0.messages.last?.role == .assistant })
    }

    /// `ida hch --supervisor llm`'s path: the model supervising wildcard in its words, HCH_0 and
    /// HCH_1, scored by the oracle; the same evaluation again is served from the cache.
    @Test func aModelSupervisesATaskInItsWordsAndTheCacheReplaysIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ida-llm-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("ida.sqlite").path)

        func evaluate() async throws -> (HCHEvaluation, ModelUsage) {
            let meter = UsageMeter()
            let chat = CachedChatModel(client(meter: meter), cache: StoreResponseCache(store: store), meter: meter)
            let settings = ModelSettings(maximumTokens: 32, attempts: 2, concurrentRequests: 2)
            let evaluation = try await HCHEvaluation.evaluate(
                task: "wildcard", preset: "tiny", maxDepth: 1, count: 1, seed: 3, store: store,
                supervisor: { LanguageModelSupervisor(domain: TaskDomain($0), model: chat, meter: meter, settings: settings) },
                meter: meter)
            return (evaluation, meter.usage)
        }
        let (first, firstUsage) = try await evaluate()
        #expect(first.costs.count == 2)
        #expect(first.costs.allSatisfy { ($0.model?.requests ?? 0) + ($0.model?.cachedReplies ?? 0) > 0 })
        #expect(first.costs.allSatisfy { $0.counters.groundTruthAnswers == 0 })
        #expect(firstUsage.requests > 0)
        let (second, secondUsage) = try await evaluate()
        #expect(secondUsage.requests == 0)
        #expect(second.rows == first.rows)
    }
}
