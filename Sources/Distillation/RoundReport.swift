/// The end of one round of the `rounds` schedule: its evaluation and the capability frontier.
public struct RoundReport: Codable, Sendable, Hashable {
    /// 1-based round number.
    public var round: Int
    /// Steps taken so far.
    public var step: Int
    /// The held-out evaluation of the swapped-in teacher.
    public var evaluation: EvaluationReport
    /// X's capability frontier: the largest depth d such that all depths ≤ d reach 90 % (sampled).
    public var frontier: Int
    /// Amp(H, X)'s frontier, when evaluated.
    public var amplifiedFrontier: Int?

    public init(round: Int, step: Int, evaluation: EvaluationReport, frontier: Int, amplifiedFrontier: Int?) {
        self.round = round
        self.step = step
        self.evaluation = evaluation
        self.frontier = frontier
        self.amplifiedFrontier = amplifiedFrontier
    }
}
