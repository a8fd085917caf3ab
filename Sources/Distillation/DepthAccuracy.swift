/// How many held-out questions of one depth each evaluated answerer got right.
public struct DepthAccuracy: Codable, Sendable, Hashable {
    /// The question depth under the expert (0: leaf lookups suffice).
    public var depth: Int
    /// Held-out questions of this depth.
    public var questionCount: Int
    /// Correct answers of X (the EMA teacher) decoding by sampling, as the paper measures.
    public var modelSampledCorrect: Int
    /// Correct answers of X decoding greedily (argmax: a deviation, reported beside).
    public var modelGreedyCorrect: Int
    /// Correct answers of Amp(H, X), or `nil` when it was not evaluated.
    public var amplifiedCorrect: Int?

    public init(depth: Int, questionCount: Int, modelSampledCorrect: Int, modelGreedyCorrect: Int, amplifiedCorrect: Int?) {
        self.depth = depth
        self.questionCount = questionCount
        self.modelSampledCorrect = modelSampledCorrect
        self.modelGreedyCorrect = modelGreedyCorrect
        self.amplifiedCorrect = amplifiedCorrect
    }

    /// X's sampled accuracy at this depth.
    public var modelAccuracy: Double { ratio(modelSampledCorrect) }
    /// X's greedy accuracy at this depth.
    public var modelGreedyAccuracy: Double { ratio(modelGreedyCorrect) }
    /// Amp(H, X)'s accuracy at this depth, when evaluated.
    public var amplifiedAccuracy: Double? { amplifiedCorrect.map(ratio) }

    private func ratio(_ correct: Int) -> Double {
        questionCount == 0 ? 0 : Double(correct) / Double(questionCount)
    }
}
