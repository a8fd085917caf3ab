import Tasks

/// An assistant that gives the same answer to every question; ``unknown(in:)`` is the assistant of
/// HCH_0 (non-leaf sub-questions get no answer).
public struct ConstantAssistant: Assistant {
    public let constant: Content
    public let agent: Agent

    public init(answer: Content, agent: Agent = .program("constant")) {
        self.constant = answer
        self.agent = agent
    }

    /// Answers every question with `domain`'s unknown answer (all `?` for a task).
    public static func unknown(in domain: any Domain) -> ConstantAssistant {
        ConstantAssistant(answer: domain.unknownAnswer, agent: .unknown)
    }

    public func answer(_ queries: [AssistantQuery], contexts: [InstanceContext]) async throws -> [Content] {
        Array(repeating: constant, count: queries.count)
    }
}
