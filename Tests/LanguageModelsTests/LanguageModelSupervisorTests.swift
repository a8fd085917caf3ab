import Amplification
import Foundation
import LanguageModels
import SeededRandom
import Synchronization
import Tasks
import Testing

/// A model that replies by a rule of the conversation, and keeps every request it got.
final class RuleModel: ChatModel {
    let endpoint = "rule://"
    let model: String
    let rule: @Sendable ([ChatMessage]) -> String
    let requests = Mutex<[ChatRequest]>([])

    init(model: String = "rule", rule: @escaping @Sendable ([ChatMessage]) -> String) {
        self.model = model
        self.rule = rule
    }

    func complete(_ request: ChatRequest) async throws -> ChatReply {
        requests.withLock { $0.append(request) }
        let content = rule(request.messages)
        return ChatReply(content: content, promptTokens: 10, completionTokens: 2, finishReason: .stop)
    }

    var requestCount: Int { requests.withLock { $0.count } }
}

/// Replies kept in memory.
final class MemoryCache: ResponseCache {
    let entries = Mutex<[String: ChatReply]>([:])

    func cachedReply(for key: String) async throws -> ChatReply? { entries.withLock { $0[key] } }
    func cache(_ reply: ChatReply, for key: String) async throws { entries.withLock { $0[key] = $0[key] ?? reply } }
}

/// The workspace a supervisor's conversation asks about: after the instructions and the
/// domain's examples (a user turn and a reply each).
func shownWorkspace(_ messages: [ChatMessage], in domain: any Domain) -> String {
    messages[1 + 2 * domain.examples.count].content
}

/// The supervisor a careful model would be on "What do fact 1 and fact 2 say?": look both up,
/// then answer them joined.
func twoFactsRule(_ messages: [ChatMessage]) -> String {
    let workspace = shownWorkspace(messages, in: TextDomain())
    if !workspace.contains("1. fact 1") { return "ask fact 1" }
    if !workspace.contains("2. fact 2") { return "ask fact 2" }
    let answers = workspace.split(separator: "\n").filter { $0.hasPrefix("1. ") || $0.hasPrefix("2. ") }
        .map { $0.components(separatedBy: " → ").last! }
    return "answer " + answers.joined(separator: " and ")
}

@Suite struct LanguageModelSupervisorTests {
    let domain = TextDomain()
    let facts = [TextFacts(question: "What do fact 1 and fact 2 say?", facts: ["zebra", "quokka"], referenceAnswer: "zebra and quokka")]

    @Test func aModelWorksTheTreeThroughTheEngine() async throws {
        let model = RuleModel(rule: twoFactsRule)
        let meter = UsageMeter()
        let supervisor = LanguageModelSupervisor(domain: domain, model: CachedChatModel(model, cache: nil, meter: meter), meter: meter)
        let hch = HCH(domain: domain, supervisor: supervisor, depth: 1, configuration: AmplifierConfiguration(tracing: true))
        let result = try await hch.amplifier.run(
            AssistantQuery.mainQuestions(of: facts, seed: 1), contexts: InstanceContext.contexts(for: facts))

        #expect(result.answers == [.text("zebra and quokka")])
        #expect(result.counters.supervisorActions == 3)
        #expect(result.counters.leafLookups == 2)
        #expect(meter.usage.requests == 3)
        #expect(meter.usage.promptTokens == 30 && meter.usage.completionTokens == 6)
        #expect(result.traces?.first?.answeredBy == .llm("rule"))
        // The prompt carries the domain's guide and the workspace, never the hidden facts unasked.
        let first = try #require(model.requests.withLock { $0.first })
        #expect(first.messages[0].content.contains("fact N"))
        #expect(shownWorkspace(first.messages, in: domain).contains("question: What do fact 1 and fact 2 say?"))
        #expect(first.messages[1].content.contains("question: Where does Ann live?"))
        #expect(first.messages[2] == ChatMessage(.assistant, "ask fact 1"))
        #expect(!first.messages.contains { $0.content.contains("zebra") || $0.content.contains("quokka") })
    }

    @Test func aMalformedReplyGoesBackWithTheReasonAndIsCounted() async throws {
        let model = RuleModel { messages in
            messages.count == 2 + 2 * TextDomain().examples.count ? "Sure! I think we should look at fact 1." : "answer 42"
        }
        let meter = UsageMeter()
        let supervisor = LanguageModelSupervisor(domain: domain, model: model, meter: meter)
        let action = try await supervisor.act(on: Workspace(question: .text("Q?"), subquestionsLeft: 3))

        #expect(action == .answer(.text("42")))
        #expect(meter.usage.malformedReplies == 1 && meter.usage.abandoned == 0)
        let retry = try #require(model.requests.withLock { $0.last })
        let shown = 2 + 2 * domain.examples.count
        #expect(retry.messages.count == shown + 2)
        #expect(retry.messages[shown] == ChatMessage(.assistant, "Sure! I think we should look at fact 1."))
        #expect(retry.messages[shown + 1].content.contains("is not an action"))
    }

    @Test func aModelThatNeverRepliesWithAnActionIsAbandonedUnknown() async throws {
        let model = RuleModel { _ in "I do not know how to help." }
        let meter = UsageMeter()
        let settings = ModelSettings(attempts: 3)
        let supervisor = LanguageModelSupervisor(domain: domain, model: model, meter: meter, settings: settings)
        let action = try await supervisor.act(on: Workspace(question: .text("Q?"), subquestionsLeft: 3))

        #expect(action == .answer(domain.unknownAnswer))
        #expect(model.requestCount == 3)
        #expect(meter.usage.malformedReplies == 3 && meter.usage.abandoned == 1)
    }

    /// A model that is the scripted expert reading and writing words: it reads the workspace
    /// back from the prompt, and replies with the expert's action as the domain renders it. HCH
    /// with it must equal HCH with the expert: the text rendering loses nothing either way.
    @Test(arguments: ["permutation", "wildcard", "union-find"])
    func theExpertInWordsGivesTheExpertsTree(taskName: String) async throws {
        let task = try TaskCatalog.task(named: taskName, preset: "tiny")
        let taskDomain = TaskDomain(task)
        let expert = ScriptedExpert(task: task)
        let model = RuleModel { messages in
            let lines = shownWorkspace(messages, in: taskDomain).split(separator: "\n").map(String.init)
            let question = try! taskDomain.parse(String(lines[0].dropFirst("question: ".count)), subquestion: true)
            var exchanges: [Exchange] = []
            for line in lines.dropFirst() {
                guard let dot = line.firstIndex(of: "."), Int(line[..<dot]) != nil else { continue }
                let parts = line[line.index(dot, offsetBy: 2)...].components(separatedBy: " → ")
                exchanges.append(
                    Exchange(
                        question: try! taskDomain.parse(parts[0], subquestion: true).tokens,
                        answer: try! taskDomain.parse(parts[1], subquestion: false).tokens))
            }
            return taskDomain.render(expert.action(on: Workspace(question: question, exchanges: exchanges, subquestionsLeft: 99)))
        }
        var rng = SplitMix64(seed: 5)
        let instances = (0..<2).map { _ in task.makeInstance(size: task.size, using: &rng) }
        let meter = UsageMeter()
        let words = LanguageModelSupervisor(domain: taskDomain, model: model, meter: meter)

        let byModel = try await HCH(task: task, supervisor: words, depth: 2).amplifier.amplify(instances, seed: 5)
        let byExpert = try await HCH(task: task, supervisor: expert, depth: 2).amplifier.amplify(instances, seed: 5)
        #expect(byModel.answers == byExpert.answers)
        #expect(byModel.workspaces == byExpert.workspaces)
        #expect(byModel.counters.supervisorActions == byExpert.counters.supervisorActions)
        #expect(meter.usage.malformedReplies == 0)
        #expect(model.requestCount == byExpert.counters.supervisorActions)
    }
}

@Suite struct DomainExampleTests {
    /// Each task's examples are the expert's own steps, ending with its answer; every action is
    /// one the domain accepts.
    @Test(arguments: TaskCatalog.taskNames)
    func aTasksExamplesAreTheExpertsStepsEndingInTheRightAnswer(taskName: String) throws {
        let task = try TaskCatalog.task(named: taskName, preset: "small")
        let domain = TaskDomain(task)
        let examples = domain.examples
        #expect(examples.count >= 2 && examples.count <= 3)
        let expert = ScriptedExpert(task: task)
        for example in examples {
            #expect(expert.action(on: example.workspace) == example.action)
            #expect(domain.rejection(of: example.action) == nil)
        }
        guard case .answer = examples.last?.action else {
            Issue.record("the last example does not answer")
            return
        }
        #expect(domain.examples == examples)  // fixed: prompts repeat, and so does the cache
    }
}
