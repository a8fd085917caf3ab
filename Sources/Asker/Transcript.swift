import Amplification
import NeuralNetworks
import Tasks

/// One H′ transcript (reference §2): the main question, `interactionLength` rounds of
/// (sub-question, sub-answer), then the main answer, as one fixed-length token vector.
///
/// **Padding rounds.** When the expert answers before the last round, the remaining rounds hold
/// an all-`?` sub-question (the "null" question) **with a fixed all-`?` answer**. The reference
/// stores whatever X answered to the null question instead; a fixed answer keeps demonstrations
/// independent of the assistant and tells H′ nothing false, and H′ still learns to emit null
/// questions. H′ reads a transcript only up to its first null question, then from the last
/// position before the main answer (``TranscriptLayout/readPosition(following:in:)``): the
/// rounds after it are implied.
///
/// ```swift
/// let transcript = Transcript(workspace: result.workspaces[0], answer: result.answers[0], layout: layout)
/// transcript?.tokens.count == layout.transcriptLength
/// ```
public struct Transcript: Hashable, Sendable, Codable {
    /// The transcript's tokens, ``TranscriptLayout/transcriptLength`` of them (no start token).
    public var tokens: [Int]

    /// The finished `workspace` with its `answer` as a transcript, or nil when it does not fit
    /// the layout (more exchanges than rounds, text, or a question or answer of the wrong length).
    public init?(workspace: Workspace, answer: Content, layout: TranscriptLayout) {
        guard answer.kind == .tokens, answer.count == layout.answerLength,
            let prefix = Transcript.sequencePrefix(of: workspace, layout: layout, answering: false)
        else { return nil }
        let padding = (layout.interactionLength - workspace.exchanges.count) * layout.roundLength
        tokens = Array(prefix.dropFirst()) + Array(repeating: 0, count: padding) + answer.tokens
    }

    /// Wraps tokens already in the layout.
    ///
    /// - Precondition: `tokens.count == layout.transcriptLength`.
    public init(tokens: [Int], layout: TranscriptLayout) {
        precondition(
            tokens.count == layout.transcriptLength,
            "Transcript: \(tokens.count) tokens, the layout needs \(layout.transcriptLength)")
        self.tokens = tokens
    }

    /// The model's input for `workspace`, as it reads it: the start token, the main question and
    /// the exchanges, then — when `answering` with rounds left — a null question and the `?` that
    /// the main answer follows (``TranscriptLayout/readPosition(following:in:)``). Nil when the
    /// workspace does not fit the layout (or holds text).
    public static func sequencePrefix(of workspace: Workspace, layout: TranscriptLayout, answering: Bool) -> [Int]? {
        func fits(_ content: Content, _ length: Int) -> Bool { content.kind == .tokens && content.count == length }
        guard fits(workspace.question, layout.questionLength),
            workspace.exchanges.count <= layout.interactionLength,
            workspace.exchanges.allSatisfy({ fits($0.question, layout.questionLength) && fits($0.answer, layout.answerLength) })
        else { return nil }
        var tokens = [0] + workspace.question.tokens
        for exchange in workspace.exchanges { tokens += exchange.question.tokens + exchange.answer.tokens }
        if answering, workspace.exchanges.count < layout.interactionLength {
            tokens += Array(repeating: 0, count: layout.questionLength + 1)
        }
        return tokens
    }

    /// The main answer: the last ``TranscriptLayout/answerLength`` tokens.
    public func answer(layout: TranscriptLayout) -> [Int] {
        Array(tokens.suffix(layout.answerLength))
    }

    /// The sub-question of round `round` (all zeros for a padding round).
    public func subquestion(round: Int, layout: TranscriptLayout) -> [Int] {
        let start = layout.subquestionStart(round: round) - 1
        return Array(tokens[start..<(start + layout.questionLength)])
    }

    /// The expert actions the transcript records: one per real (non-null) sub-question, plus the
    /// answer.
    public func actionCount(layout: TranscriptLayout) -> Int {
        1 + (0..<layout.interactionLength).filter { round in subquestion(round: round, layout: layout).contains { $0 != 0 } }.count
    }
}

extension TranscriptLayout {
    /// The layout of `task`'s transcripts: its vocabulary, question and answer lengths and rounds.
    public init(task: any AmplificationTask) {
        self.init(
            vocabularySize: task.vocabulary.count, questionLength: task.questionLength,
            answerLength: task.answerLength, interactionLength: task.interactionLength)
    }
}
