import Amplification
import Tasks

/// A language model as the assistant X: each sub-question is answered directly, from the facts
/// of its context (as the distilled model reads its instance), with no decomposition.
///
/// A reply is read as an answer by the domain (``Domain/parse(_:subquestion:)``, then
/// ``Domain/rejection(of:)``); one it cannot read goes back with the reason, up to
/// ``ModelSettings/attempts`` replies in all, and the question is then answered unknown. The
/// questions of one call are asked concurrently, up to ``ModelSettings/concurrentRequests`` at
/// a time.
public struct LanguageModelAssistant: Assistant {
    public let domain: any Domain
    public let model: any ChatModel
    public let templates: PromptTemplates
    public let settings: ModelSettings
    public let meter: UsageMeter

    public init(
        domain: any Domain, model: any ChatModel, meter: UsageMeter, templates: PromptTemplates = .standard,
        settings: ModelSettings = ModelSettings()
    ) {
        self.domain = domain
        self.model = model
        self.meter = meter
        self.templates = templates
        self.settings = settings
    }

    public var agent: Agent { .llm(model.model) }

    /// The conversation that asks `question` about `facts` (before any retry).
    public func messages(for question: Content, facts: [Content]) -> [ChatMessage] {
        templates.assistantMessages(for: question, facts: facts, in: domain)
    }

    public func answer(_ queries: [AssistantQuery], contexts: [InstanceContext]) async throws -> [Content] {
        try await withThrowingTaskGroup(of: (Int, Content).self) { group in
            var answers = [Content](repeating: domain.unknownAnswer, count: queries.count)
            var next = 0
            func start() {
                let position = next
                let query = queries[position]
                let facts = contexts[query.context].facts
                group.addTask { (position, try await answer(query.question, facts: facts)) }
                next += 1
            }
            while next < min(queries.count, settings.concurrentRequests) { start() }
            while let (position, answer) = try await group.next() {
                answers[position] = answer
                if next < queries.count { start() }
            }
            return answers
        }
    }

    /// One question's answer, asked again after each reply the domain cannot read.
    func answer(_ question: Content, facts: [Content]) async throws -> Content {
        var messages = messages(for: question, facts: facts)
        for _ in 0..<settings.attempts {
            let reply = try await model.complete(settings.request(messages))
            let reason: String
            do {
                let answer = try domain.parse(reply.content, subquestion: false)
                guard let rejection = domain.rejection(of: .answer(answer)) else { return answer }
                reason = "\(rejection)"
            } catch {
                reason = "\(error)"
            }
            meter.record { $0.malformedReplies += 1 }
            messages.append(ChatMessage(.assistant, reply.content))
            messages.append(ChatMessage(.user, PromptTemplates.fill(templates.malformedAnswer, ["error": reason])))
        }
        meter.record { $0.abandoned += 1 }
        return domain.unknownAnswer
    }
}
