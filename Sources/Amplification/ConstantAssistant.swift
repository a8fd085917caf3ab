import Tasks

/// An assistant that gives the same answer to every question; ``unknown(answerLength:)`` is the
/// assistant of HCH_0 (non-leaf sub-questions get no answer).
public struct ConstantAssistant: Assistant {
    public let constant: Content
    public let agent: Agent

    public init(answer: Content, agent: Agent = .program("constant")) {
        self.constant = answer
        self.agent = agent
    }

    /// Answers every question with all `?` (token 0).
    public static func unknown(answerLength: Int) -> ConstantAssistant {
        ConstantAssistant(answer: .tokens(Tokens(repeating: 0, count: answerLength)), agent: .unknown)
    }

    public func answer(_ queries: [AssistantQuery], contexts: [InstanceContext]) async throws -> [Content] {
        Array(repeating: constant, count: queries.count)
    }
}
