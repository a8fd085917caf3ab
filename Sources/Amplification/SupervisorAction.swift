import Tasks

/// A supervisor's move on a workspace: ask one sub-question, or give the final answer.
public enum SupervisorAction: Hashable, Sendable, Codable {
    /// Ask a sub-question (a leaf is answered by one lookup, any other by the assistant).
    case ask(Content)
    /// Answer the workspace's question; the workspace is then done.
    case answer(Content)

    /// The scripted expert's step as an action.
    @inlinable
    public init(_ step: ExpertStep) {
        switch step {
        case .ask(let question): self = .ask(.tokens(question))
        case .answer(let answer): self = .answer(.tokens(answer))
        }
    }

    /// What the action carries (the sub-question or the answer).
    public var content: Content {
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
    /// Tokens where the domain reads text, or text where it reads tokens.
    case wrongKind(subquestion: Bool, expected: Content.Kind)
    /// Text with nothing but blanks.
    case empty(subquestion: Bool)
    /// Text longer than the domain's limit, in UTF-8 bytes.
    case tooLong(subquestion: Bool, limit: Int, received: Int)

    /// `an answer takes 1 tokens, not 2`, `a sub-question uses token 31, outside the task's 31`.
    public var description: String {
        switch self {
        case .wrongLength(let subquestion, let expected, let received):
            "\(Self.noun(subquestion)) takes \(expected) tokens, not \(received)"
        case .unknownToken(let subquestion, let token, let vocabularySize):
            "\(Self.noun(subquestion)) uses token \(token), outside the task's \(vocabularySize)"
        case .wrongKind(let subquestion, let expected):
            "\(Self.noun(subquestion)) must be \(expected == .text ? "text" : "a task's tokens"), not \(expected == .text ? "tokens" : "text")"
        case .empty(let subquestion):
            "\(Self.noun(subquestion)) is empty"
        case .tooLong(let subquestion, let limit, let received):
            "\(Self.noun(subquestion)) takes at most \(limit) bytes of text, not \(received)"
        }
    }

    private static func noun(_ subquestion: Bool) -> String {
        subquestion ? "a sub-question" : "an answer"
    }

    /// Whether the action was of a shape the domain cannot hold at all (its kind or its length),
    /// as opposed to words it does not know: an assistant's answer must never be malformed so.
    public var isMalformed: Bool {
        switch self {
        case .wrongLength, .wrongKind, .empty, .tooLong: true
        case .unknownToken: false
        }
    }
}
