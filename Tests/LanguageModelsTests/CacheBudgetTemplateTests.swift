import Amplification
import Foundation
import Synchronization
import LanguageModels
import Tasks
import Testing

@Suite struct CacheBudgetTemplateTests {
    let domain = TextDomain()
    let facts = [
        TextFacts(question: "What do fact 1 and fact 2 say?", facts: ["red", "blue"]),
        TextFacts(question: "What do facts 1 and 2 say, again?", facts: ["green", "gold"]),
    ]

    func run(_ model: any ChatModel, meter: UsageMeter, concurrentRequests: Int = 4) async throws -> AmplificationResult {
        let supervisor = LanguageModelSupervisor(
            domain: domain, model: model, meter: meter, settings: ModelSettings(concurrentRequests: concurrentRequests))
        return try await HCH(domain: domain, supervisor: supervisor, depth: 1, configuration: AmplifierConfiguration(tracing: true))
            .amplifier.run(AssistantQuery.mainQuestions(of: facts, seed: 2), contexts: InstanceContext.contexts(for: facts))
    }

    @Test func aSecondIdenticalRunMakesNoRequestAndGivesTheSameTree() async throws {
        let model = RuleModel(rule: twoFactsRule)
        let cache = MemoryCache()
        let first = UsageMeter()
        let firstResult = try await run(CachedChatModel(model, cache: cache, meter: first), meter: first)
        let second = UsageMeter()
        let secondResult = try await run(CachedChatModel(model, cache: cache, meter: second), meter: second)

        #expect(first.usage.requests == 6 && first.usage.cachedReplies == 0)
        #expect(second.usage.requests == 0 && second.usage.cachedReplies == 6 && second.usage.tokens == 0)
        #expect(model.requestCount == 6)
        #expect(secondResult.answers == firstResult.answers)
        #expect(secondResult.traces == firstResult.traces)
    }

    /// A server that answers the same prompt differently each time: equal requests in flight
    /// together share one reply, so the cache replays the tree.
    @Test func equalRequestsInFlightTogetherShareOneReply() async throws {
        let counter = SlowCountingModel()
        let meter = UsageMeter()
        let chat = CachedChatModel(counter, cache: MemoryCache(), meter: meter)
        let request = ChatRequest(messages: [ChatMessage(.user, "same")])
        let replies = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<5 { group.addTask { try await chat.complete(request).content } }
            var replies: [String] = []
            for try await reply in group { replies.append(reply) }
            return replies
        }
        #expect(Set(replies).count == 1)
        #expect(counter.calls.withLock { $0 } == 1)
        #expect(meter.usage.requests == 1 && meter.usage.cachedReplies == 4)
        let again = try await chat.complete(request).content
        #expect(again == replies[0])
    }

    @Test func theCacheKeyCoversEveryParameter() {
        let request = ChatRequest(messages: [ChatMessage(.user, "hi")], temperature: 0, maximumTokens: 10)
        let key = request.cacheKey(endpoint: "http://a/v1", model: "m")
        var changed = [request, request, request, request]
        changed[0].temperature = 0.5
        changed[1].maximumTokens = 11
        changed[2].sample = 1
        changed[3].messages = [ChatMessage(.system, "hi")]
        for other in changed { #expect(other.cacheKey(endpoint: "http://a/v1", model: "m") != key) }
        #expect(request.cacheKey(endpoint: "http://b/v1", model: "m") != key)
        #expect(request.cacheKey(endpoint: "http://a/v1", model: "n") != key)
        #expect(request.cacheKey(endpoint: "http://a/v1", model: "m") == key)
    }

    @Test func aSpentBudgetStopsTheRunWithNoRequestPastIt() async throws {
        let model = RuleModel(rule: twoFactsRule)
        let meter = UsageMeter(budget: ModelBudget(requests: 4))
        await #expect(throws: LanguageModelError.self) {
            _ = try await run(CachedChatModel(model, cache: nil, meter: meter), meter: meter)
        }
        #expect(model.requestCount == 4)
        #expect(meter.usage.requests == 4)

        let tokens = UsageMeter(budget: ModelBudget(tokens: 25))
        await #expect(throws: LanguageModelError.self) {
            _ = try await run(
                CachedChatModel(RuleModel(rule: twoFactsRule), cache: nil, meter: tokens), meter: tokens, concurrentRequests: 1)
        }
        // 12 tokens a request, one at a time: 24 after two leave room for a third, 36 for none.
        #expect(tokens.usage.requests == 3)
        #expect(tokens.usage.tokens == 36)
    }

    @Test func templatesFromAFileReplaceOnlyWhatTheyName() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ida-prompts-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("prompts.json")

        try #"{"supervisor_system": "Be brief. {{guide}}"}"#.write(to: file, atomically: true, encoding: .utf8)
        let read = try PromptTemplates.read(from: file)
        #expect(read.supervisorSystem == "Be brief. {{guide}}")
        #expect(read.assistantQuestion == PromptTemplates.standard.assistantQuestion)

        try PromptTemplates.standard.json().write(to: file, atomically: true, encoding: .utf8)
        #expect(try PromptTemplates.read(from: file) == .standard)

        try #"{"supervisor_prompt": "x"}"#.write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: PromptTemplateError.unknownTemplate("supervisor_prompt")) { try PromptTemplates.read(from: file) }
        try #"{"malformed_action": "{{workspace}}"}"#.write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: PromptTemplateError.unknownName("workspace", template: "malformed_action")) {
            try PromptTemplates.read(from: file)
        }
        try "not json".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: PromptTemplateError.notJSON(path: file.path)) { try PromptTemplates.read(from: file) }
    }

    @Test func theAssistantAnswersFromTheFactsAndRetriesWhatTheDomainCannotRead() async throws {
        let model = RuleModel { messages in
            let prompt = messages[1].content
            if prompt.contains("Question: blank?") { return messages.count == 2 ? "   " : "still nothing" }
            return prompt.contains("1. red") ? "red" : "no facts"
        }
        let meter = UsageMeter()
        let assistant = LanguageModelAssistant(domain: domain, model: model, meter: meter, settings: ModelSettings(attempts: 2))
        let contexts = InstanceContext.contexts(for: facts)
        let answers = try await assistant.answer(
            [
                AssistantQuery(context: 0, question: .text("What is fact 1?"), seed: 1),
                AssistantQuery(context: 1, question: .text("What is fact 1?"), seed: 2),
                AssistantQuery(context: 0, question: .text("blank?"), seed: 3),
            ], contexts: contexts)

        #expect(answers == [.text("red"), .text("no facts"), .text("still nothing")])
        #expect(meter.usage.malformedReplies == 1)
        #expect(meter.usage.abandoned == 0)
        #expect(model.requestCount == 4)
    }
}

/// Answers "reply N" to its N-th call, after a pause long enough for equal requests to overlap.
final class SlowCountingModel: ChatModel {
    let endpoint = "slow://"
    let model = "slow"
    let calls = Mutex(0)

    func complete(_ request: ChatRequest) async throws -> ChatReply {
        let call = calls.withLock { calls in
            calls += 1
            return calls
        }
        try await Task.sleep(for: .milliseconds(200))
        return ChatReply(content: "reply \(call)", promptTokens: 1, completionTokens: 1, finishReason: .stop)
    }
}
