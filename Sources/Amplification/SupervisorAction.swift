import Tasks

/// A supervisor's move on a workspace: ask one sub-question, or give the final answer.
public enum SupervisorAction: Hashable, Sendable, Codable {
    /// Ask a sub-question (a leaf is answered by one lookup, any other by the assistant).
    case ask(Tokens)
    /// Answer the workspace's question; the workspace is then done.
    case answer(Tokens)

    /// The scripted expert's step as an action.
    @inlinable
    public init(_ step: ExpertStep) {
        switch step {
        case .ask(let question): self = .ask(question)
        case .answer(let answer): self = .answer(answer)
        }
    }

    /// The tokens carried by the action (the sub-question or the answer).
    public var tokens: Tokens {
        switch self {
        case .ask(let question): question
        case .answer(let answer): answer
        }
    }
}
