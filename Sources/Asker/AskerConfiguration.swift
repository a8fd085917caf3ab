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
    /// H′ steps per X step once enough transcripts are buffered. 1 in the paper preset: the
    /// reference trains both concurrently at about the same rate (H′ "never more than 10 000 steps
    /// ahead of X"). 0.5 in the small preset, where H′ defers to the expert when unsure
    /// (``deferralProbability``): an H′ step costs several X steps on a CPU, and with half the
    /// steps union find small's X ended within a point of the scripted run's (98.0 against 98.9 %,
    /// seed 1); fewer cost more than 3 points in some run (README, "H′").
    public var stepsPerAnswererStep: Double
    /// H′ steps it may take ahead of X (trained as soon as enough transcripts are buffered, so
    /// X's first targets do not come from an untrained H′). 300: the tiny permutation script is
    /// learnt in about 150 steps (AskerTests); the reference lets H′ run up to 10 000 ahead.
    public var leadSteps: Int
    /// H′ skips its steps while the fresh-loss average is below this; nil: it never does. The
    /// reference keeps training a perfect H′ at full speed (Möhn's "wasted compute", reference
    /// §8 item 15), which costs more than X on a CPU; if the instances change (curriculum) and
    /// the fresh loss rises, training resumes. 0.01 (the rate-0.01 regime) where H′ acts alone;
    /// 0.1 in the small preset, whose H′ defers to the expert on the actions it is unsure of.
    /// The paper preset keeps the reference's behaviour.
    public var pauseLoss: Double?
    /// H′ hands an action to the expert when the probability it gives the action it decoded (the
    /// product of its greedy tokens' probabilities) is below this; nil: it never does. Each such
    /// action is an expert call, counted once per distinct workspace while H′'s weights stand
    /// still (``LearnedSupervisor``). Only an
    /// expert that acts at once defers (the scripted one: a person is not asked mid-amplification).
    /// 0.95 in the small preset: measured with seed 1, 0.99 spent 12.6 % of the scripted run's
    /// calls on shortest path (whose workspaces rarely repeat) and 0.95 4.6 %, both keeping IA's
    /// accuracy with H′ at half the training steps (README, "H′").
    public var deferralProbability: Double?

    public init(
        model: TranscriptModelConfiguration = .small, training: AskerTrainingConfiguration = .small,
        schedule: DemonstrationScheduleConfiguration = .small, stepsPerAnswererStep: Double = 0.5, leadSteps: Int = 300,
        pauseLoss: Double? = 0.1, deferralProbability: Double? = 0.95
    ) {
        self.model = model
        self.training = training
        self.schedule = schedule
        self.stepsPerAnswererStep = stepsPerAnswererStep
        self.leadSteps = leadSteps
        self.pauseLoss = pauseLoss
        self.deferralProbability = deferralProbability
    }

    /// Decodes a stored configuration. One stored before H′ could defer has `pausesWhenAccurate`
    /// instead of `pauseLoss` (true: pause below the schedule's second threshold) and no
    /// `deferralProbability`: a resumed run goes on as it began.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(TranscriptModelConfiguration.self, forKey: .model)
        training = try container.decode(AskerTrainingConfiguration.self, forKey: .training)
        schedule = try container.decode(DemonstrationScheduleConfiguration.self, forKey: .schedule)
        stepsPerAnswererStep = try container.decode(Double.self, forKey: .stepsPerAnswererStep)
        leadSteps = try container.decode(Int.self, forKey: .leadSteps)
        deferralProbability = try container.decodeIfPresent(Double.self, forKey: .deferralProbability)
        let legacy = try decoder.container(keyedBy: LegacyKeys.self)
        if let pauses = try legacy.decodeIfPresent(Bool.self, forKey: .pausesWhenAccurate) {
            pauseLoss = pauses ? schedule.secondLossThreshold : nil
        } else {
            pauseLoss = try container.decodeIfPresent(Double.self, forKey: .pauseLoss)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case model, training, schedule, stepsPerAnswererStep, leadSteps, pauseLoss, deferralProbability
    }

    private enum LegacyKeys: String, CodingKey {
        case pausesWhenAccurate
    }

    /// Unit tests: the tiny model, training and schedule, a lead of 100 steps, one H′ step per X
    /// step, no deferral.
    public static let tiny = AskerConfiguration(
        model: .tiny, training: .tiny, schedule: .tiny, stepsPerAnswererStep: 1, leadSteps: 100, pauseLoss: 0.01,
        deferralProbability: nil)
    /// The default demo.
    public static let small = AskerConfiguration()
    /// The reference's sizes and lead.
    public static let paper = AskerConfiguration(
        model: .paper, training: .paper, schedule: .paper, stepsPerAnswererStep: 1, leadSteps: 10_000, pauseLoss: nil,
        deferralProbability: nil)

    /// The presets by name, for command lines.
    public static let presets: [String: AskerConfiguration] = ["tiny": .tiny, "small": .small, "paper": .paper]
}
