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
struct RunReport: Codable, Sendable, Equatable {
    var task: String
    var preset: String
    var schedule: String
    /// `scripted` or `learned` (`--supervisor`); reports stored before the option read `scripted`.
    var supervisor: String = "scripted"
    var seed: UInt64
    /// The id of the stored group run that holds the IA and supervised runs.
    var run: String
    var ia: IAResult
    var supervised: SupervisedResult
    /// Wall time of the whole job: both trainings, side by side, with their evaluations.
    var wallSeconds: Double
    /// The capability frontier after each round (`rounds` schedule only): the largest depth d
    /// such that IA's X answers every depth up to d at 90 % or better, -1 when depth 0 is not.
    var frontier: [Int]?
    /// H′'s side of IA, with `--supervisor learned`.
    var asker: AskerResult?

    enum CodingKeys: String, CodingKey {
        case task, preset, schedule, supervisor, seed, run, ia, supervised, frontier, asker
        case wallSeconds = "wall_seconds"
    }

    init(
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

    init(from decoder: any Decoder) throws {
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
/// what the amplification spent.
struct IAResult: Codable, Sendable, Equatable {
    /// X alone.
    var accuracy: Double
    var accuracyByDepth: [String: Double]
    /// Amp(H, X): the scripted expert consulting X.
    var ampAccuracy: Double
    var ampAccuracyByDepth: [String: Double]
    var supervisorActions: Int
    /// Calls of the real expert: every supervisor action with the scripted expert, only the
    /// demonstrations' actions with H′. Reports stored before the field existed were all
    /// scripted, so they read `supervisor_actions`.
    var expertCalls: Int
    var leafLookups: Int
    /// Ground-truth labels the training consumed: 0 for IA (targets come from Amp(H, X)).
    var groundTruthLabels: Int
    var steps: Int
    var examples: Int
    var wallSeconds: Double

    enum CodingKeys: String, CodingKey {
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

    init(
        accuracy: Double, accuracyByDepth: [String: Double], ampAccuracy: Double, ampAccuracyByDepth: [String: Double],
        supervisorActions: Int, expertCalls: Int, leafLookups: Int, groundTruthLabels: Int, steps: Int, examples: Int,
        wallSeconds: Double
    ) {
        self.accuracy = accuracy
        self.accuracyByDepth = accuracyByDepth
        self.ampAccuracy = ampAccuracy
        self.ampAccuracyByDepth = ampAccuracyByDepth
        self.supervisorActions = supervisorActions
        self.expertCalls = expertCalls
        self.leafLookups = leafLookups
        self.groundTruthLabels = groundTruthLabels
        self.steps = steps
        self.examples = examples
        self.wallSeconds = wallSeconds
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accuracy = try container.decode(Double.self, forKey: .accuracy)
        accuracyByDepth = try container.decode([String: Double].self, forKey: .accuracyByDepth)
        ampAccuracy = try container.decode(Double.self, forKey: .ampAccuracy)
        ampAccuracyByDepth = try container.decode([String: Double].self, forKey: .ampAccuracyByDepth)
        supervisorActions = try container.decode(Int.self, forKey: .supervisorActions)
        expertCalls = try container.decodeIfPresent(Int.self, forKey: .expertCalls) ?? supervisorActions
        leafLookups = try container.decode(Int.self, forKey: .leafLookups)
        groundTruthLabels = try container.decode(Int.self, forKey: .groundTruthLabels)
        steps = try container.decode(Int.self, forKey: .steps)
        examples = try container.decode(Int.self, forKey: .examples)
        wallSeconds = try container.decode(Double.self, forKey: .wallSeconds)
    }
}

/// H′'s side of IA in a ``RunReport`` (`--supervisor learned`).
struct AskerResult: Codable, Sendable, Equatable {
    /// Held-out action accuracy per action type: whole sub-questions and whole main answers
    /// predicted exactly (teacher-forced) on expert transcripts at full size; nil when the run
    /// had no held-out evaluation.
    var actionAccuracy: ActionAccuracyResult?
    /// The same on the last fresh demonstrations, before H′ trained on them.
    var latestActionAccuracy: ActionAccuracyResult?
    /// Demonstrations of the expert generated (their actions are IA's `expert_calls`).
    var demonstrations: Int
    /// H′ Adam steps taken, and forgone while it was accurate.
    var steps: Int
    var pausedSteps: Int
    /// Demonstrations per X step at the end (1, 0.1 or 0.01).
    var demonstrationRate: Double

    enum CodingKeys: String, CodingKey {
        case demonstrations, steps
        case actionAccuracy = "action_accuracy"
        case latestActionAccuracy = "latest_action_accuracy"
        case pausedSteps = "paused_steps"
        case demonstrationRate = "demonstration_rate"
    }
}

/// Accuracy per action type of H′.
struct ActionAccuracyResult: Codable, Sendable, Equatable {
    var subQuestion: Double
    var answer: Double

    enum CodingKeys: String, CodingKey {
        case subQuestion = "sub_question"
        case answer
    }
}

/// The supervised baseline side of a ``RunReport``: the same loop on ground-truth targets.
struct SupervisedResult: Codable, Sendable, Equatable {
    var accuracy: Double
    var accuracyByDepth: [String: Double]
    /// Ground-truth labels the training consumed (one per target).
    var groundTruthLabels: Int
    var steps: Int
    var examples: Int
    var wallSeconds: Double

    enum CodingKeys: String, CodingKey {
        case accuracy, steps, examples
        case accuracyByDepth = "accuracy_by_depth"
        case groundTruthLabels = "ground_truth_labels"
        case wallSeconds = "wall_seconds"
    }
}

/// The report of `ida run --task all`: one ``RunReport`` per task.
struct MultiTaskReport: Codable, Sendable, Equatable {
    var task = "all"
    var preset: String
    var schedule: String
    var seed: UInt64
    var run: String
    var reports: [RunReport]
    var wallSeconds: Double

    enum CodingKeys: String, CodingKey {
        case task, preset, schedule, seed, run, reports
        case wallSeconds = "wall_seconds"
    }
}
