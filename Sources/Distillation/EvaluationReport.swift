import Asker

/// Accuracy on held-out full-size instances, overall and per question depth.
///
/// "X" is the EMA teacher (the model the paper plots); its primary accuracy is of sampled
/// answers (reference §7.1), greedy accuracy is beside it.
public struct EvaluationReport: Codable, Sendable, Hashable {
    /// The Adam step after which the evaluation ran.
    public var step: Int
    /// The round that just ended (`rounds` schedule), else `nil`.
    public var round: Int?
    /// The instance size evaluated (the task's full size).
    public var instanceSize: Int
    /// One entry per depth present in the held-out set, in increasing depth.
    public var depths: [DepthAccuracy]
    /// H′'s action accuracy on held-out expert transcripts at this step, when the run has H′
    /// (``DistillationConfiguration/asker``); nil otherwise.
    public var askerAccuracy: ActionAccuracy?

    public init(step: Int, round: Int? = nil, instanceSize: Int, depths: [DepthAccuracy]) {
        self.step = step
        self.round = round
        self.instanceSize = instanceSize
        self.depths = depths
    }

    /// Held-out questions.
    public var questionCount: Int { depths.reduce(0) { $0 + $1.questionCount } }

    /// X's sampled accuracy over all questions (the headline number).
    public var modelAccuracy: Double { ratio(depths.reduce(0) { $0 + $1.modelSampledCorrect }) }
    /// X's greedy accuracy over all questions.
    public var modelGreedyAccuracy: Double { ratio(depths.reduce(0) { $0 + $1.modelGreedyCorrect }) }
    /// Amp(H, X)'s accuracy over all questions, when evaluated.
    public var amplifiedAccuracy: Double? {
        guard depths.allSatisfy({ $0.amplifiedCorrect != nil }) else { return nil }
        return ratio(depths.reduce(0) { $0 + ($1.amplifiedCorrect ?? 0) })
    }

    /// The capability frontier of X (sampled): the largest depth d such that every depth ≤ d
    /// present reaches `threshold` (90 % by default); −1 when depth 0 (or the shallowest depth
    /// present) does not. A depth with no held-out question neither helps nor breaks the chain.
    public func frontier(threshold: Double = 0.9) -> Int {
        Self.frontier(depths.map { ($0.depth, $0.modelAccuracy) }, threshold: threshold)
    }

    /// The frontier of Amp(H, X), when evaluated.
    public func amplifiedFrontier(threshold: Double = 0.9) -> Int? {
        guard amplifiedAccuracy != nil else { return nil }
        return Self.frontier(depths.map { ($0.depth, $0.amplifiedAccuracy ?? 0) }, threshold: threshold)
    }

    static func frontier(_ accuracies: [(depth: Int, accuracy: Double)], threshold: Double) -> Int {
        var frontier = -1
        for entry in accuracies.sorted(by: { $0.depth < $1.depth }) {
            guard entry.accuracy >= threshold else { break }
            frontier = entry.depth
        }
        return frontier
    }

    private func ratio(_ correct: Int) -> Double {
        questionCount == 0 ? 0 : Double(correct) / Double(questionCount)
    }
}
