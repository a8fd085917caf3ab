import Distillation

/// The report of one `ida run` on one task: what `--json` prints, what the store keeps in the
/// group run's `report` column, and what `ida report RUN` re-renders.
///
/// Accuracies are fractions in 0...1 on held-out instances at the preset's full size;
/// `accuracy_by_depth` maps each question depth (as a string, JSON objects need string keys) to
/// the accuracy at that depth.
///
/// `ia.expert_calls` counts the real expert's actions (IA's cost) and
/// `supervised.ground_truth_labels` the labels the baseline consumed (its cost); `asker` is there
/// only with `--supervisor learned`.
///
/// ```json
/// {"task": "permutation", "preset": "small", "schedule": "continuous", "supervisor": "learned", "seed": 7,
///  "run": "r-20261129-1a2b",
///  "ia": {"accuracy": 0.97, "accuracy_by_depth": {"0": 1.0, "1": 0.96}, "amp_accuracy": 0.99, "expert_calls": 3084, …},
///  "supervised": {"accuracy": 0.98, "ground_truth_labels": 77440, …},
///  "asker": {"action_accuracy": {"sub_question": 1.0, "answer": 0.99}, "demonstrations": 1028, …},
///  "wall_seconds": 95.2}
/// ```
public struct RunReport: Codable, Sendable, Equatable {
    public var task: String
    public var preset: String
    public var schedule: String
    /// `scripted` or `learned` (`--supervisor`); reports stored before the option read `scripted`.
    public var supervisor: String = "scripted"
    public var seed: UInt64
    /// The id of the stored group run that holds the IA and supervised runs.
    public var run: String
    public var ia: IAResult
    public var supervised: SupervisedResult
    /// Wall time of the whole job: both trainings, side by side, with their evaluations.
    public var wallSeconds: Double
    /// The capability frontier after each round (`rounds` schedule only): the largest depth d
    /// such that IA's X answers every depth up to d at 90 % or better, -1 when depth 0 is not.
    public var frontier: [Int]?
    /// H′'s side of IA, with `--supervisor learned`.
    public var asker: AskerResult?

    public enum CodingKeys: String, CodingKey {
        case task, preset, schedule, supervisor, seed, run, ia, supervised, frontier, asker
        case wallSeconds = "wall_seconds"
    }

    public init(
        task: String, preset: String, schedule: String, supervisor: String = "scripted", seed: UInt64, run: String,
        ia: IAResult, supervised: SupervisedResult, wallSeconds: Double, frontier: [Int]? = nil, asker: AskerResult? = nil
    ) {
        self.task = task
        self.preset = preset
        self.schedule = schedule
        self.supervisor = supervisor
        self.seed = seed
        self.run = run
        self.ia = ia
        self.supervised = supervised
        self.wallSeconds = wallSeconds
        self.frontier = frontier
        self.asker = asker
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        task = try container.decode(String.self, forKey: .task)
        preset = try container.decode(String.self, forKey: .preset)
        schedule = try container.decode(String.self, forKey: .schedule)
        supervisor = try container.decodeIfPresent(String.self, forKey: .supervisor) ?? "scripted"
        seed = try container.decode(UInt64.self, forKey: .seed)
        run = try container.decode(String.self, forKey: .run)
        ia = try container.decode(IAResult.self, forKey: .ia)
        supervised = try container.decode(SupervisedResult.self, forKey: .supervised)
        wallSeconds = try container.decode(Double.self, forKey: .wallSeconds)
        frontier = try container.decodeIfPresent([Int].self, forKey: .frontier)
        asker = try container.decodeIfPresent(AskerResult.self, forKey: .asker)
    }
}

/// The IA side of a ``RunReport``: the distilled model X, the amplified system Amp(H, X), and
/// what the training spent (its ``TrainingCounters``, the engine's counters within them).
///
/// The JSON keeps the documented flat names (`supervisor_actions`, `expert_calls`, …), read
/// from and into the counters.
public struct IAResult: Codable, Sendable, Equatable {
    /// X alone.
    public var accuracy: Double
    public var accuracyByDepth: [String: Double]
    /// Amp(H, X): the scripted expert consulting X.
    public var ampAccuracy: Double
    public var ampAccuracyByDepth: [String: Double]
    public var counters: TrainingCounters
    public var wallSeconds: Double

    public enum CodingKeys: String, CodingKey {
        case accuracy, steps, examples
        case accuracyByDepth = "accuracy_by_depth"
        case ampAccuracy = "amp_accuracy"
        case ampAccuracyByDepth = "amp_accuracy_by_depth"
        case supervisorActions = "supervisor_actions"
        case expertCalls = "expert_calls"
        case leafLookups = "leaf_lookups"
        case groundTruthLabels = "ground_truth_labels"
        case wallSeconds = "wall_seconds"
    }

    public init(
        accuracy: Double, accuracyByDepth: [String: Double], ampAccuracy: Double, ampAccuracyByDepth: [String: Double],
        counters: TrainingCounters, wallSeconds: Double
    ) {
        self.accuracy = accuracy
        self.accuracyByDepth = accuracyByDepth
        self.ampAccuracy = ampAccuracy
        self.ampAccuracyByDepth = ampAccuracyByDepth
        self.counters = counters
        self.wallSeconds = wallSeconds
    }

    /// Reports stored before `expert_calls` existed were all scripted: they read
    /// `supervisor_actions`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accuracy = try container.decode(Double.self, forKey: .accuracy)
        accuracyByDepth = try container.decode([String: Double].self, forKey: .accuracyByDepth)
        ampAccuracy = try container.decode(Double.self, forKey: .ampAccuracy)
        ampAccuracyByDepth = try container.decode([String: Double].self, forKey: .ampAccuracyByDepth)
        counters = TrainingCounters()
        counters.amplification.supervisorActions = try container.decode(Int.self, forKey: .supervisorActions)
        counters.expertCalls =
            try container.decodeIfPresent(Int.self, forKey: .expertCalls) ?? counters.amplification.supervisorActions
        counters.amplification.leafLookups = try container.decode(Int.self, forKey: .leafLookups)
        counters.groundTruthLabels = try container.decode(Int.self, forKey: .groundTruthLabels)
        counters.steps = try container.decode(Int.self, forKey: .steps)
        counters.examples = try container.decode(Int.self, forKey: .examples)
        wallSeconds = try container.decode(Double.self, forKey: .wallSeconds)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(accuracy, forKey: .accuracy)
        try container.encode(accuracyByDepth, forKey: .accuracyByDepth)
        try container.encode(ampAccuracy, forKey: .ampAccuracy)
        try container.encode(ampAccuracyByDepth, forKey: .ampAccuracyByDepth)
        try container.encode(counters.amplification.supervisorActions, forKey: .supervisorActions)
        try container.encode(counters.expertCalls, forKey: .expertCalls)
        try container.encode(counters.amplification.leafLookups, forKey: .leafLookups)
        try container.encode(counters.groundTruthLabels, forKey: .groundTruthLabels)
        try container.encode(counters.steps, forKey: .steps)
        try container.encode(counters.examples, forKey: .examples)
        try container.encode(wallSeconds, forKey: .wallSeconds)
    }
}

/// H′'s side of IA in a ``RunReport`` (`--supervisor learned`).
public struct AskerResult: Codable, Sendable, Equatable {
    /// Held-out action accuracy per action type: whole sub-questions and whole main answers
    /// predicted exactly (teacher-forced) on expert transcripts at full size; nil when the run
    /// had no held-out evaluation.
    public var actionAccuracy: ActionAccuracyResult?
    /// The same on the last fresh demonstrations, before H′ trained on them.
    public var latestActionAccuracy: ActionAccuracyResult?
    /// Demonstrations of the expert generated (their actions are IA's `expert_calls`).
    public var demonstrations: Int
    /// H′ Adam steps taken, and forgone while it was accurate.
    public var steps: Int
    public var pausedSteps: Int
    /// Demonstrations per X step at the end (1, 0.1 or 0.01).
    public var demonstrationRate: Double

    public enum CodingKeys: String, CodingKey {
        case demonstrations, steps
        case actionAccuracy = "action_accuracy"
        case latestActionAccuracy = "latest_action_accuracy"
        case pausedSteps = "paused_steps"
        case demonstrationRate = "demonstration_rate"
    }
}

/// Accuracy per action type of H′.
public struct ActionAccuracyResult: Codable, Sendable, Equatable {
    public var subQuestion: Double
    public var answer: Double

    public enum CodingKeys: String, CodingKey {
        case subQuestion = "sub_question"
        case answer
    }
}

/// The supervised baseline side of a ``RunReport``: the same loop on ground-truth targets, and
/// what it spent (its ``TrainingCounters``; the JSON keeps the flat names).
public struct SupervisedResult: Codable, Sendable, Equatable {
    public var accuracy: Double
    public var accuracyByDepth: [String: Double]
    public var counters: TrainingCounters
    public var wallSeconds: Double

    public enum CodingKeys: String, CodingKey {
        case accuracy, steps, examples
        case accuracyByDepth = "accuracy_by_depth"
        case groundTruthLabels = "ground_truth_labels"
        case wallSeconds = "wall_seconds"
    }

    public init(accuracy: Double, accuracyByDepth: [String: Double], counters: TrainingCounters, wallSeconds: Double) {
        self.accuracy = accuracy
        self.accuracyByDepth = accuracyByDepth
        self.counters = counters
        self.wallSeconds = wallSeconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accuracy = try container.decode(Double.self, forKey: .accuracy)
        accuracyByDepth = try container.decode([String: Double].self, forKey: .accuracyByDepth)
        counters = TrainingCounters()
        counters.groundTruthLabels = try container.decode(Int.self, forKey: .groundTruthLabels)
        counters.steps = try container.decode(Int.self, forKey: .steps)
        counters.examples = try container.decode(Int.self, forKey: .examples)
        wallSeconds = try container.decode(Double.self, forKey: .wallSeconds)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(accuracy, forKey: .accuracy)
        try container.encode(accuracyByDepth, forKey: .accuracyByDepth)
        try container.encode(counters.groundTruthLabels, forKey: .groundTruthLabels)
        try container.encode(counters.steps, forKey: .steps)
        try container.encode(counters.examples, forKey: .examples)
        try container.encode(wallSeconds, forKey: .wallSeconds)
    }
}

/// The report of `ida run --task all`: one ``RunReport`` per task.
public struct MultiTaskReport: Codable, Sendable, Equatable {
    public var task = "all"
    public var preset: String
    public var schedule: String
    public var seed: UInt64
    public var run: String
    public var reports: [RunReport]
    public var wallSeconds: Double

    public enum CodingKeys: String, CodingKey {
        case task, preset, schedule, seed, run, reports
        case wallSeconds = "wall_seconds"
    }

    public init(preset: String, schedule: String, seed: UInt64, run: String, reports: [RunReport], wallSeconds: Double) {
        self.preset = preset
        self.schedule = schedule
        self.seed = seed
        self.run = run
        self.reports = reports
        self.wallSeconds = wallSeconds
    }
}
