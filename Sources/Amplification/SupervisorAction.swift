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

/// Why the engine refused a supervisor's action: shown to the supervisor, with its workspace, when
/// it is asked again. A plain value (no text stored), so the workspaces of the fast path copy it
/// for free.
public enum ActionRejection: Hashable, Sendable, Codable, CustomStringConvertible {
    /// A sub-question (`subquestion`) or an answer with the wrong number of tokens.
    case wrongLength(subquestion: Bool, expected: Int, received: Int)
    /// A token outside the task's vocabulary of `vocabularySize` tokens.
    case unknownToken(subquestion: Bool, token: Int, vocabularySize: Int)

    /// `an answer takes 1 tokens, not 2`, `a sub-question uses token 31, outside the task's 31`.
    public var description: String {
        switch self {
        case .wrongLength(let subquestion, let expected, let received):
            "\(subquestion ? "a sub-question" : "an answer") takes \(expected) tokens, not \(received)"
        case .unknownToken(let subquestion, let token, let vocabularySize):
            "\(subquestion ? "a sub-question" : "an answer") uses token \(token), outside the task's \(vocabularySize)"
        }
    }
}
