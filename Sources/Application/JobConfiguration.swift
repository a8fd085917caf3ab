import Asker
import Distillation
import Foundation
import Tasks

/// What one `ida run` was asked to do, stored verbatim (JSON) in its group run so that
/// `--resume` repeats exactly the same job.
public struct JobConfiguration: Codable, Equatable, Sendable {
    /// The tasks, in the order they run (`--task all`: the five in the catalog's order).
    public var tasks: [String]
    public var preset: String
    public var schedule: TrainingSchedule
    public var seed: UInt64
    /// `--steps`: Adam steps (continuous) or steps per round (rounds); nil keeps the preset's.
    public var steps: Int?
    /// `--checkpoint-interval`: steps between checkpoints; nil keeps the preset's.
    public var checkpointInterval: Int?
    /// `--eval-interval`: steps between held-out evaluations; nil keeps the preset's.
    public var evaluationInterval: Int?
    /// `--supervisor`: who makes IA's decompositions (configurations stored before the option
    /// existed read as `scripted`).
    public var supervisor: SupervisorChoice = .scripted
    /// `--method`: amplification (IA beside supervised) or RL from preferences (configurations
    /// stored before the option existed read as amplification).
    public var method: TrainingMethod = .amplification
    /// RL's evaluator budget per task, in expert calls (`--budget`, or an IA run's expert calls
    /// with `--budget-from`); a task without one trains its steps whatever they cost.
    public var budgets: [String: Int] = [:]
    /// `--shared-targets`: where IA's targets grow, in the trainer or in `ida worker`s sharing
    /// the run through its PostgreSQL database (configurations stored before the option existed
    /// read as the trainer).
    public var targets: TargetPlace = .trainer

    public init(
        tasks: [String], preset: String, schedule: TrainingSchedule, seed: UInt64, steps: Int? = nil,
        checkpointInterval: Int? = nil, evaluationInterval: Int? = nil, supervisor: SupervisorChoice = .scripted,
        method: TrainingMethod = .amplification, budgets: [String: Int] = [:], targets: TargetPlace = .trainer
    ) {
        self.targets = targets
        self.method = method
        self.budgets = budgets
        self.tasks = tasks
        self.preset = preset
        self.schedule = schedule
        self.seed = seed
        self.steps = steps
        self.checkpointInterval = checkpointInterval
        self.evaluationInterval = evaluationInterval
        self.supervisor = supervisor
    }

    /// The task name as given on the command line: one task, or `all`.
    public var taskArgument: String { tasks.count == 1 ? tasks[0] : "all" }

    /// The training configuration of one side on task `task`: the preset's for that task
    /// (`DistillationConfiguration.preset(named:task:)`), with the overrides. The supervised
    /// baseline skips the Amp(H, X) evaluation (it measures the model alone); everything else,
    /// steps, model, buffer, curriculum, is the same for both sides. With `--supervisor learned`
    /// (or `people`, H′ taught by people in the web app) IA's configuration also gets H′
    /// (`AskerConfiguration`'s preset of the same name); the baseline never has one.
    ///
    /// - Throws: ``ApplicationError/invalidJob(_:)`` for an unknown preset.
    public func distillation(task: String, targets: TargetSource) throws -> DistillationConfiguration {
        guard var configuration = DistillationConfiguration.preset(named: preset, task: task) else {
            throw ApplicationError.invalidJob(
                "unknown preset \"\(preset)\"; available presets: \(TaskCatalog.presetNames.joined(separator: ", "))")
        }
        if let steps {
            switch schedule {
            case .continuous: configuration.steps = steps
            case .rounds: configuration.rounds.stepsPerRound = steps
            }
        }
        if let checkpointInterval { configuration.checkpointInterval = checkpointInterval }
        if let evaluationInterval { configuration.evaluation.interval = evaluationInterval }
        if targets == .groundTruth { configuration.evaluation.amplified = false }
        if supervisor != .scripted, targets == .amplification {
            guard let asker = AskerConfiguration.presets[preset] else {
                throw ApplicationError.invalidJob("no learned-supervisor preset \"\(preset)\"")
            }
            configuration.asker = asker
        }
        return configuration
    }

    public func json() throws -> String {
        try storedJSON(self)
    }

    /// Reads the stored JSON of run `run`.
    public static func decode(_ json: String, run: String) throws -> JobConfiguration {
        do {
            return try JSONDecoder().decode(JobConfiguration.self, from: Data(json.utf8))
        } catch {
            throw ApplicationError.unreadableRun(run: run, problem: "its configuration is not an ida run configuration")
        }
    }
}

extension JobConfiguration {
    private enum CodingKeys: String, CodingKey {
        case tasks, preset, schedule, seed, steps, checkpointInterval, evaluationInterval, supervisor, method, budgets, targets
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tasks = try container.decode([String].self, forKey: .tasks)
        preset = try container.decode(String.self, forKey: .preset)
        schedule = try container.decode(TrainingSchedule.self, forKey: .schedule)
        seed = try container.decode(UInt64.self, forKey: .seed)
        steps = try container.decodeIfPresent(Int.self, forKey: .steps)
        checkpointInterval = try container.decodeIfPresent(Int.self, forKey: .checkpointInterval)
        evaluationInterval = try container.decodeIfPresent(Int.self, forKey: .evaluationInterval)
        supervisor = try container.decodeIfPresent(SupervisorChoice.self, forKey: .supervisor) ?? .scripted
        method = try container.decodeIfPresent(TrainingMethod.self, forKey: .method) ?? .amplification
        budgets = try container.decodeIfPresent([String: Int].self, forKey: .budgets) ?? [:]
        targets = try container.decodeIfPresent(TargetPlace.self, forKey: .targets) ?? .trainer
    }
}
