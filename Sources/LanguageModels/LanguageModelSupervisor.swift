import Amplification
import Tasks

/// A language model as the supervisor H: it sees a workspace rendered by the domain as a prompt
/// and replies with one action, `ask …` or `answer …`.
///
/// Replies are read strictly (``Domain/parseAction(_:)`` on the whole reply, trimmed): a reply
/// that is not one action goes back to the model with the reason, up to ``ModelSettings/attempts`` replies per
/// action in all, each counted as malformed; after the last, the workspace is answered unknown
/// (counted as abandoned). An action the domain reads but refuses (a sub-question of the wrong
/// length, say) is the engine's to send back: the next prompt shows the workspace with the
/// reason.
///
/// It is a ``ConcurrentSupervisor``: the engine keeps up to ``maximumConcurrentActions``
/// workspaces in flight at once, and moves on with each as its reply comes back.
public struct LanguageModelSupervisor: ConcurrentSupervisor {
    public let domain: any Domain
    public let model: any ChatModel
    public let templates: PromptTemplates
    public let settings: ModelSettings
    /// Where the malformed and abandoned replies are counted (the run's meter).
    public let meter: UsageMeter
    /// The domain's examples, which open every conversation (made once: a task's run its expert).
    private let examples: [DomainExample]

    public init(
        domain: any Domain, model: any ChatModel, meter: UsageMeter, templates: PromptTemplates = .standard,
        settings: ModelSettings = ModelSettings()
    ) {
        self.domain = domain
        self.model = model
        self.meter = meter
        self.templates = templates
        self.settings = settings
        examples = domain.examples
    }

    public var agent: Agent { .llm(model.model) }
    public var maximumConcurrentActions: Int { settings.concurrentRequests }

    /// The conversation that asks for the action on `workspace` (before any retry).
    public func messages(for workspace: Workspace) -> [ChatMessage] {
        templates.supervisorMessages(for: workspace, in: domain, examples: examples)
    }

    public func act(on workspace: Workspace) async throws -> SupervisorAction {
        var messages = messages(for: workspace)
        for _ in 0..<settings.attempts {
            let reply = try await model.complete(settings.request(messages))
            do {
                return try domain.parseAction(reply.content)
            } catch {
                meter.record { $0.malformedReplies += 1 }
                messages.append(ChatMessage(.assistant, reply.content))
                messages.append(ChatMessage(.user, PromptTemplates.fill(templates.malformedAction, ["error": "\(error)"])))
            }
        }
        meter.record { $0.abandoned += 1 }
        return .answer(domain.unknownAnswer)
    }
}

/// How ida asks a language model: the sampling parameters of every request, how many replies
/// one action or answer may take, and how many requests may be in flight at once.
public struct ModelSettings: Hashable, Sendable, Codable {
    public var temperature: Double
    public var maximumTokens: Int
    /// Replies per action or answer in all: the first, and those after malformed ones (at least 1).
    public var attempts: Int
    /// Requests in flight at once, per supervisor or assistant (at least 1).
    public var concurrentRequests: Int

    /// - Precondition: `attempts >= 1`, `concurrentRequests >= 1`, `maximumTokens >= 1`.
    public init(temperature: Double = 0, maximumTokens: Int = 128, attempts: Int = 3, concurrentRequests: Int = 4) {
        precondition(attempts >= 1 && concurrentRequests >= 1 && maximumTokens >= 1, "ModelSettings: counts must be positive")
        self.temperature = temperature
        self.maximumTokens = maximumTokens
        self.attempts = attempts
        self.concurrentRequests = concurrentRequests
    }

    func request(_ messages: [ChatMessage]) -> ChatRequest {
        ChatRequest(messages: messages, temperature: temperature, maximumTokens: maximumTokens)
    }
}
