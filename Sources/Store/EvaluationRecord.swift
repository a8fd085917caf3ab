/// The score of one model at one depth at one evaluation step: a row of the `evaluation` table.
///
/// `accuracy = correct / count`; the overall accuracy at a step is `Σ correct / Σ count` over
/// the depths (``RunStore/overallAccuracy(run:model:)``).
public struct EvaluationRecord: Codable, Sendable, Hashable {
    public var step: Int
    /// Which answerer was scored: ``EvaluatedModel/x``, ``EvaluatedModel/amp``, …
    public var model: EvaluatedModel
    /// The questions' recursion depth under the expert.
    public var depth: Int
    /// Questions asked at this depth.
    public var count: Int
    /// Questions answered correctly, at most `count`.
    public var correct: Int

    public init(step: Int, model: EvaluatedModel, depth: Int, count: Int, correct: Int) {
        self.step = step
        self.model = model
        self.depth = depth
        self.count = count
        self.correct = correct
    }

    /// `correct / count`, or 0 when nothing was asked.
    public var accuracy: Double {
        count == 0 ? 0 : Double(correct) / Double(count)
    }
}
