import NeuralNetworks

/// H′'s accuracy at imitating the expert on held-out transcripts, per action type (reference
/// §4.3, the fork's `accuracy/asker/{q,a}`): teacher-forced argmax predictions, scored per token
/// and per whole action.
public struct ActionAccuracy: Codable, Sendable, Equatable, Hashable {
    /// Fraction of sub-question tokens (padding rounds' null questions included) predicted exactly;
    /// the rounds after the first null question are implied by it, so right when it is.
    public var subquestionTokens: Double
    /// Fraction of main-answer tokens predicted exactly.
    public var answerTokens: Double
    /// Fraction of sub-questions whose every token is predicted exactly.
    public var subquestions: Double
    /// Fraction of main answers whose every token is predicted exactly.
    public var answers: Double
    /// Transcripts measured.
    public var transcriptCount: Int

    public init(subquestionTokens: Double, answerTokens: Double, subquestions: Double, answers: Double, transcriptCount: Int) {
        self.subquestionTokens = subquestionTokens
        self.answerTokens = answerTokens
        self.subquestions = subquestions
        self.answers = answers
        self.transcriptCount = transcriptCount
    }

    /// Measures `model` on `transcripts` (one forward pass, no cache).
    ///
    /// - Precondition: at least one transcript in the model's layout.
    public static func measure(model: TranscriptModel, on transcripts: [Transcript]) -> ActionAccuracy {
        precondition(!transcripts.isEmpty, "ActionAccuracy.measure: no transcripts")
        let layout = model.layout
        let length = layout.transcriptLength
        let v = layout.vocabularySize
        let logProbabilities = model.logProbabilities(transcripts: transcripts.map(\.tokens))
        var questionTokens = (right: 0, total: 0), answerTokens = (right: 0, total: 0)
        var questions = (right: 0, total: 0), answers = (right: 0, total: 0)
        for (row, transcript) in transcripts.enumerated() {
            var correct = [Bool](repeating: false, count: length)
            for j in 0..<length {
                let base = (row * length + j) * v
                var best = 0
                for token in 1..<v where logProbabilities[base + token] > logProbabilities[base + best] { best = token }
                correct[j] = best == transcript.tokens[j]
            }
            for round in 0..<layout.interactionLength {
                let start = layout.subquestionStart(round: round) - 1
                let slice = correct[start..<(start + layout.questionLength)]
                questionTokens.right += slice.filter { $0 }.count
                questionTokens.total += slice.count
                questions.right += slice.allSatisfy { $0 } ? 1 : 0
                questions.total += 1
            }
            let slice = correct[(layout.mainAnswerStart - 1)...]
            answerTokens.right += slice.filter { $0 }.count
            answerTokens.total += slice.count
            answers.right += slice.allSatisfy { $0 } ? 1 : 0
            answers.total += 1
        }
        func fraction(_ pair: (right: Int, total: Int)) -> Double { pair.total == 0 ? 1 : Double(pair.right) / Double(pair.total) }
        return ActionAccuracy(
            subquestionTokens: fraction(questionTokens), answerTokens: fraction(answerTokens),
            subquestions: fraction(questions), answers: fraction(answers), transcriptCount: transcripts.count)
    }
}
