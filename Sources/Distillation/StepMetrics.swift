/// What one Adam step reports.
public struct StepMetrics: Codable, Sendable, Hashable {
    /// Steps taken so far, this one included (1-based).
    public var step: Int
    /// The steps the run will take in all (continuous: `steps`; rounds: rounds × steps per round).
    public var totalSteps: Int
    /// The training loss of this step's batch: −log P(target), summed over answer positions,
    /// averaged over the batch's questions.
    public var loss: Double
    /// Questions trained on so far (with repetition: a question used ten times counts ten).
    public var examples: Int
    /// The instance size new targets are generated at.
    public var curriculumSize: Int
    /// The current round (`rounds` schedule), else `nil`.
    public var round: Int?

    public init(step: Int, totalSteps: Int, loss: Double, examples: Int, curriculumSize: Int, round: Int? = nil) {
        self.step = step
        self.totalSteps = totalSteps
        self.loss = loss
        self.examples = examples
        self.curriculumSize = curriculumSize
        self.round = round
    }
}
