import Tasks

/// What can go wrong in an amplification that is not a programmer error.
public enum AmplificationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An assistant consumed ground truth in a run whose policy forbids it.
    case groundTruthReachedAnswer(count: Int, assistant: String)
    /// An assistant's answer the domain cannot hold (the wrong number of tokens, text for tokens).
    case malformedAnswer(assistant: String, answer: Content, reason: ActionRejection)
    /// Ground truth was asked for a question its context has no answer for (a free-text question
    /// without a reference answer).
    case noGroundTruth(question: Content)
    /// A supervisor or an assistant returned a different number of results than it was asked for.
    case resultCountMismatch(agent: String, expected: Int, received: Int)
    /// Saved workspaces that do not form a run of this amplifier (the reason, one line).
    case unresumable(String)

    public var description: String {
        switch self {
        case .groundTruthReachedAnswer(let count, let assistant):
            "assistant '\(assistant)' consumed \(count) ground-truth answer(s) in an amplification that forbids ground truth"
                + "\nhint: use the ground-truth assistant only with `groundTruth: .allowed` (tests, supervised baseline)"
        case .malformedAnswer(let assistant, let answer, let reason):
            "assistant '\(assistant)' gave a malformed answer \(answer): \(reason)"
        case .noGroundTruth(let question):
            "no ground truth for \(question): its context has no reference answer"
        case .resultCountMismatch(let agent, let expected, let received):
            "'\(agent)' returned \(received) result(s) for \(expected) input(s)"
        case .unresumable(let reason):
            "cannot resume the amplification: \(reason)"
        }
    }
}
