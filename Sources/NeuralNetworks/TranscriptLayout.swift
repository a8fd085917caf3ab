/// The fixed shape of an H′ transcript (reference §2): the main question, then
/// `interactionLength` rounds of (sub-question, sub-answer), then the main answer, every part at
/// its fixed length. The model reads it with a start token (0) in front, so sequence position
/// `p` holds transcript token `p − 1`.
///
/// ```swift
/// let layout = TranscriptLayout(vocabularySize: 12, questionLength: 4, answerLength: 1, interactionLength: 3)
/// layout.transcriptLength        // (3 + 1) · (4 + 1) = 20
/// layout.kind(atSequencePosition: 0)   // .mainQuestion (the start token)
/// ```
public struct TranscriptLayout: Codable, Sendable, Equatable, Hashable {
    /// Token ids are in `0..<vocabularySize`; 0 is `?`, padding and the start token.
    public var vocabularySize: Int
    /// Tokens per question (main and sub).
    public var questionLength: Int
    /// Tokens per answer (main and sub).
    public var answerLength: Int
    /// Rounds of (sub-question, sub-answer) in every transcript.
    public var interactionLength: Int

    public init(vocabularySize: Int, questionLength: Int, answerLength: Int, interactionLength: Int) {
        self.vocabularySize = vocabularySize
        self.questionLength = questionLength
        self.answerLength = answerLength
        self.interactionLength = interactionLength
    }

    /// Tokens in a transcript: `(interactionLength + 1) · (questionLength + answerLength)`.
    public var transcriptLength: Int { (interactionLength + 1) * (questionLength + answerLength) }

    /// Tokens in one round.
    public var roundLength: Int { questionLength + answerLength }

    /// The sequence position (start token at 0) where round `round`'s sub-question begins.
    public func subquestionStart(round: Int) -> Int { 1 + questionLength + round * roundLength }

    /// The sequence position where the main answer begins.
    public var mainAnswerStart: Int { subquestionStart(round: interactionLength) }

    /// What the token at sequence position `position` is (0 is the start token, typed as the
    /// main question as in the reference).
    public func kind(atSequencePosition position: Int) -> TranscriptTokenKind {
        if position <= questionLength { return .mainQuestion }
        if position >= mainAnswerStart { return .mainAnswer }
        return (position - 1 - questionLength) % roundLength < questionLength ? .subquestion : .subanswer
    }

    /// The sequence position the model reads after `position`: the next one, except after the
    /// last token of a null sub-question (all `?`), where the last position before the main
    /// answer follows. A null sub-question ends the asking, so the padding rounds after it are
    /// implied, never read: a workspace that stops asking early costs the positions it used, not
    /// the whole transcript. The main answer is still predicted at that one fixed position, as
    /// when every round is used: when the null question's last token predicted it, IA with H′ on
    /// union find (small, seed 1) ended 8.6 points lower.
    ///
    /// `sequence` holds the tokens read so far; it is indexed by position up to the first null
    /// sub-question, the only part this looks at.
    public func readPosition(following position: Int, in sequence: [Int]) -> Int {
        guard position > questionLength, position < mainAnswerStart,
            (position - 1 - questionLength) % roundLength == questionLength - 1
        else { return position + 1 }
        let start = position - questionLength + 1
        return sequence[start...position].allSatisfy { $0 == 0 } ? mainAnswerStart - 1 : position + 1
    }

    /// Checks the sizes.
    ///
    /// - Precondition: vocabularySize ≥ 2, lengths ≥ 1, interactionLength ≥ 0.
    func validate() {
        precondition(
            vocabularySize >= 2 && questionLength >= 1 && answerLength >= 1 && interactionLength >= 0,
            "TranscriptLayout: vocabularySize must be ≥ 2, lengths ≥ 1, rounds ≥ 0, \(self)")
    }
}

/// The four token types of a transcript, each with its own learned embedding.
public enum TranscriptTokenKind: Int, Codable, Sendable, CaseIterable {
    case mainQuestion = 0
    case subquestion = 1
    case subanswer = 2
    case mainAnswer = 3
}
