/// The report of one `ida run` on one task: what `--json` prints, what the store keeps in the
/// group run's `report` column, and what `ida report RUN` re-renders.
///
/// Accuracies are fractions in 0...1 on held-out instances at the preset's full size;
/// `accuracy_by_depth` maps each question depth (as a string, JSON objects need string keys) to
/// the accuracy at that depth.
///
/// ```json
/// {"task": "permutation", "preset": "small", "schedule": "continuous", "seed": 7, "run": "r-20261129-1a2b",
///  "ia": {"accuracy": 0.97, "accuracy_by_depth": {"0": 1.0, "1": 0.96}, "amp_accuracy": 0.99, …},
///  "supervised": {"accuracy": 0.98, …}, "wall_seconds": 95.2}
/// ```
struct RunReport: Codable, Sendable, Equatable {
    var task: String
    var preset: String
    var schedule: String
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

    enum CodingKeys: String, CodingKey {
        case task, preset, schedule, seed, run, ia, supervised, frontier
        case wallSeconds = "wall_seconds"
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
        case leafLookups = "leaf_lookups"
        case groundTruthLabels = "ground_truth_labels"
        case wallSeconds = "wall_seconds"
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
