import Amplification
import Application
import Foundation
import LanguageModels
import Store
import Synchronization
import Testing

/// Reads fact 1 and fact 2, then answers them joined, counting the requests it got.
private final class TwoFactModel: ChatModel {
    let endpoint = "rule://"
    let model = "two-facts"
    let requests = Mutex(0)

    func complete(_ request: ChatRequest) async throws -> ChatReply {
        requests.withLock { $0 += 1 }
        let workspace = request.messages[1 + 2 * TextDomain().examples.count].content
        let reply: String
        if !workspace.contains("1. fact 1") {
            reply = "ask fact 1"
        } else if !workspace.contains("2. fact 2") {
            reply = "ask fact 2"
        } else {
            let read = workspace.split(separator: "\n").filter { $0.hasPrefix("1. ") || $0.hasPrefix("2. ") }
                .map { $0.components(separatedBy: " → ").last! }
            reply = "answer " + read.joined(separator: " and ")
        }
        return ChatReply(content: reply, promptTokens: 10, completionTokens: 3, finishReason: .stop)
    }
}

@Suite struct TextJobResumeTests {
    let job = TextJob(
        questions: (1...3).map { TextFacts(question: "What do facts 1 and 2 of \($0) say?", facts: ["x\($0)", "y\($0)"]) },
        depth: 0, assistant: .hch, seed: 8)
    let domain = TextDomain()

    func agents(_ model: any ChatModel, store: any RunStore, budget: ModelBudget) -> (LanguageModelSupervisor, LanguageModelAssistant, UsageMeter) {
        let meter = UsageMeter(budget: budget)
        let chat = CachedChatModel(model, cache: StoreResponseCache(store: store), meter: meter)
        let settings = ModelSettings(concurrentRequests: 1)
        return (
            LanguageModelSupervisor(domain: domain, model: chat, meter: meter, settings: settings),
            LanguageModelAssistant(domain: domain, model: chat, meter: meter, settings: settings), meter
        )
    }

    @Test func aRunStoppedByItsBudgetGoesOnToTheUninterruptedTreeWithoutPayingTwice() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ida-resume-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let whole = try SQLiteStore(path: directory.appendingPathComponent("whole.sqlite").path)
        let uninterruptedModel = TwoFactModel()
        let (s0, a0, _) = agents(uninterruptedModel, store: whole, budget: .unlimited)
        let uninterrupted = try await job.start(in: whole, domain: domain, supervisor: s0, assistant: a0, schedule: "ask")

        let store = try SQLiteStore(path: directory.appendingPathComponent("ida.sqlite").path)
        let model = TwoFactModel()
        let (s1, a1, meter1) = agents(model, store: store, budget: ModelBudget(requests: 4))
        let started = Mutex<String?>(nil)
        await #expect(throws: LanguageModelError.self) {
            _ = try await job.start(
                in: store, domain: domain, supervisor: s1, assistant: a1, schedule: "ask",
                started: { run in started.withLock { $0 = run } })
        }
        let run = try #require(started.withLock { $0 })
        #expect(try store.run(id: run).status == .failed)
        #expect(meter1.usage.requests == 4)

        let (s2, a2, meter2) = agents(model, store: store, budget: .unlimited)
        let (_, resumed) = try await TextJob.resume(run, in: store, domain: domain, supervisor: s2, assistant: a2)
        #expect(try store.run(id: run).status == .completed)
        #expect(resumed.answers == uninterrupted.result.answers)
        #expect(resumed.answers == (1...3).map { .text("x\($0) and y\($0)") })
        #expect(resumed.traces == uninterrupted.result.traces)
        // Nothing asked before the stop is paid for again.
        #expect(meter1.usage.requests + meter2.usage.requests == uninterruptedModel.requests.withLock { $0 })
        #expect(model.requests.withLock { $0 } == uninterruptedModel.requests.withLock { $0 })

        await #expect(throws: ApplicationError.invalidJob("run \(run) is already complete; nothing to resume")) {
            _ = try await TextJob.resume(run, in: store, domain: domain, supervisor: s2, assistant: a2)
        }
    }
}
