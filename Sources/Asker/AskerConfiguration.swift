import NeuralNetworks

/// Everything H′'s side of an IA run needs: the model, its training, the demonstration rule and
/// how fast H′ trains against X. Presets per scale.
public struct AskerConfiguration: Codable, Sendable, Equatable, Hashable {
    /// The transcript model's sizes.
    public var model: TranscriptModelConfiguration
    /// H′'s optimiser, buffer and batch.
    public var training: AskerTrainingConfiguration
    /// The demonstration-rate rule (reference §5.3).
    public var schedule: DemonstrationScheduleConfiguration
    /// H′ steps per X step once enough transcripts are buffered. 1: the reference trains both
    /// concurrently at about the same rate (H′ "never more than 10 000 steps ahead of X").
    public var stepsPerAnswererStep: Int
    /// H′ steps it may take ahead of X (trained as soon as enough transcripts are buffered, so
    /// X's first targets do not come from an untrained H′). 300: the tiny permutation script is
    /// learnt in about 150 steps (AskerTests); the reference lets H′ run up to 10 000 ahead.
    public var leadSteps: Int
    /// Whether H′ skips its steps while the fresh-loss EMA is below the schedule's second
    /// threshold (0.01, the rate-0.01 regime). true: the reference keeps training a perfect H′ at
    /// full speed (Möhn's "wasted compute", reference §8 item 15), which costs more than X on a
    /// CPU; if the instances change (curriculum) and the fresh loss rises, training resumes.
    /// The paper preset keeps the reference's behaviour.
    public var pausesWhenAccurate: Bool

    public init(
        model: TranscriptModelConfiguration = .small, training: AskerTrainingConfiguration = .small,
        schedule: DemonstrationScheduleConfiguration = .small, stepsPerAnswererStep: Int = 1, leadSteps: Int = 300,
        pausesWhenAccurate: Bool = true
    ) {
        self.model = model
        self.training = training
        self.schedule = schedule
        self.stepsPerAnswererStep = stepsPerAnswererStep
        self.leadSteps = leadSteps
        self.pausesWhenAccurate = pausesWhenAccurate
    }

    /// Unit tests: the tiny model, training and schedule, a lead of 100 steps.
    public static let tiny = AskerConfiguration(model: .tiny, training: .tiny, schedule: .tiny, leadSteps: 100)
    /// The default demo.
    public static let small = AskerConfiguration()
    /// The reference's sizes and lead.
    public static let paper = AskerConfiguration(model: .paper, training: .paper, schedule: .paper, leadSteps: 10_000, pausesWhenAccurate: false)

    /// The presets by name, for command lines.
    public static let presets: [String: AskerConfiguration] = ["tiny": .tiny, "small": .small, "paper": .paper]
}
