import Distillation
import Foundation
import NeuralNetworks
import SeededRandom
import Store
import Tasks
import TensorCore

/// `ida run --method rlhf` and `--method rl-oracle`: RL from preferences
/// (``PreferenceLearner``) on each task, stored as it goes, then the report. The comparison with
/// amplification (`Documentation/RLHF.md`) runs it beside IA on the same preset and seed.
///
/// The policy has X's architecture and the preset's steps; the evaluator's cost is capped by the
/// task's budget (IA's expert calls, `--budget-from`): the run stops at its steps or once its
/// evaluator has spent the budget, whichever comes first (the last step may pass the budget by
/// its own cost). Held-out evaluations at the preset's interval on the preset's number of fresh
/// instances, the same instances every time (from the seed), measure the policy's sampled
/// accuracy, its slices for b = 1, 2, 4 (and the run's b) and the reward model.
///
/// Stored layout: one `group` run holding the ``JobConfiguration`` (and at the end the report),
/// and under it one `rlhf` run per task with its series (per step: `cost`, the evaluator's total
/// so far; `judgements`; `reward_agreement`; `kl`; per evaluation: `reward_model_accuracy`, and for
/// each b `verifiable_accuracy.b<b>`, `unverifiable_accuracy.b<b>`, `approved_wrong.b<b>`), its
/// evaluations (model `policy`, by depth), checkpoints (``PreferenceLearner/State``) and, once
/// complete, its ``PreferenceRunReport``. A stopped run continues from its newest checkpoint
/// (`--resume`) and takes the same steps it would have.
public struct PreferenceJob {
    let store: any RunStore
    let configuration: JobConfiguration
    let board: any TrainingProgress
    var started: (@Sendable (String) -> Void)?

    /// The budgets whose slices every evaluation measures, beside the run's own.
    public static let measuredBudgets = [1, 2, 4]

    /// Creates the group run and runs every task.
    public static func start(
        store: any RunStore, configuration: JobConfiguration, board: any TrainingProgress,
        started: (@Sendable (String) -> Void)? = nil
    ) async throws -> (group: RunRecord, reports: [PreferenceRunReport], wallSeconds: Double) {
        try validate(configuration)
        let group = try store.createRun(
            NewRun(
                kind: .group, task: configuration.taskArgument, preset: configuration.preset,
                schedule: configuration.schedule.rawValue, configuration: try configuration.json(),
                seed: configuration.seed, createdAt: Date()))
        return try await PreferenceJob(store: store, configuration: configuration, board: board, started: started)
            .run(group: group)
    }

    /// Continues the RL run `id` (or the group of the run `id`): finished tasks keep their
    /// reports, the others continue from their newest checkpoint.
    ///
    /// - Throws: ``ApplicationError/alreadyComplete(run:)``, or what the stored configuration or
    ///   states fail.
    public static func resume(
        store: any RunStore, id: String, board: any TrainingProgress, started: (@Sendable (String) -> Void)? = nil
    ) async throws -> (group: RunRecord, reports: [PreferenceRunReport], wallSeconds: Double) {
        let group = try store.runOrItsGroup(id)
        guard group.status != .completed else { throw ApplicationError.alreadyComplete(run: group.id) }
        let configuration = try JobConfiguration.decode(group.configuration, run: group.id)
        try validate(configuration)
        let job = PreferenceJob(store: store, configuration: configuration, board: board, started: started)
        for name in configuration.tasks {
            if let child = try job.child(of: group, task: name) { _ = try job.learnerStart(child, task: try boundedTask(name, preset: configuration.preset)) }
        }
        await board.note("resuming run \(group.id)")
        return try await job.run(group: group)
    }

    /// Whether the run `id` (or its group) is an RL run.
    public static func isPreferenceRun(_ id: String, in store: any RunStore) throws -> Bool {
        let group = try store.runOrItsGroup(id)
        guard group.kind == .group, let configuration = try? JobConfiguration.decode(group.configuration, run: group.id) else {
            return false
        }
        return configuration.method != .amplification
    }

    /// Each task's budget: the expert calls of IA in the finished `ida run` `run`.
    ///
    /// - Throws: ``ApplicationError/invalidJob(_:)`` for an RL run or one without a task;
    ///   ``ApplicationError/noReport(run:status:)`` for one not finished.
    public static func budgets(from run: String, tasks: [String], store: any RunStore) throws -> [String: Int] {
        guard try !isPreferenceRun(run, in: store) else {
            throw ApplicationError.invalidJob("--budget-from takes an IA run; \(run) is an RL run")
        }
        let reports = try TrainingJob.report(of: run, in: store).reports
        var budgets: [String: Int] = [:]
        for task in tasks {
            guard let report = reports.first(where: { $0.task == task }) else {
                throw ApplicationError.invalidJob("--budget-from \(run): that run did not train \(task)")
            }
            budgets[task] = report.ia.counters.expertCalls
        }
        return budgets
    }

    /// Everything that can be refused before a row is written.
    static func validate(_ configuration: JobConfiguration) throws {
        guard configuration.method.preferences != nil else {
            throw ApplicationError.invalidJob("PreferenceJob runs RLHF or RL with oracle preferences, not \(configuration.method.name)")
        }
        if case .rlhf(let lookups) = configuration.method, lookups < 1 {
            throw ApplicationError.invalidJob("E_b needs at least one lookup, got \(lookups)")
        }
        guard configuration.schedule == .continuous else {
            throw ApplicationError.invalidJob("RL from preferences trains continuously; --schedule rounds is for IA")
        }
        guard configuration.supervisor == .scripted else {
            throw ApplicationError.invalidJob("--supervisor chooses IA's supervisor; RL from preferences has none")
        }
        for name in configuration.tasks {
            _ = try boundedTask(name, preset: configuration.preset)
            if let problem = try configuration.distillation(task: name, targets: .groundTruth).problem {
                throw DistillationError.invalidConfiguration(problem)
            }
        }
        for (name, budget) in configuration.budgets where budget < 1 || !configuration.tasks.contains(name) {
            throw ApplicationError.invalidJob("the budget \(budget) for \(name) is not a positive budget of a task of the run")
        }
    }

    /// The task, which must say what b lookups tell about its answers.
    static func boundedTask(_ name: String, preset: String) throws -> any AmplificationTask & BoundedCheck {
        let task = try TaskCatalog.task(named: name, preset: preset)
        guard let bounded = task as? any AmplificationTask & BoundedCheck else {
            throw ApplicationError.invalidJob(
                "E_b has no bounded check for \(name); RL from preferences runs on \(TaskCatalog.boundedTaskNames.joined(separator: ", "))")
        }
        return bounded
    }

    /// The stored reports of the group run `group`, when it is an RL run; nil for another kind
    /// of `ida run`.
    ///
    /// - Throws: ``ApplicationError/noReport(run:status:)`` when the job has not finished.
    public static func report(of group: RunRecord) throws -> [PreferenceRunReport]? {
        guard let configuration = try? JobConfiguration.decode(group.configuration, run: group.id),
            configuration.method.preferences != nil
        else { return nil }
        guard let json = group.report else { throw ApplicationError.noReport(run: group.id, status: group.status.rawValue) }
        guard let reports = try? JSONDecoder().decode([PreferenceRunReport].self, from: Data(json.utf8)) else {
            throw ApplicationError.unreadableRun(run: group.id, problem: "its report is not an RL report")
        }
        return reports
    }

    /// - Throws: ``ApplicationError/trainedElsewhere(run:)``, before anything is written, when
    ///   another process trains the group.
    func run(group: RunRecord) async throws -> (group: RunRecord, reports: [PreferenceRunReport], wallSeconds: Double) {
        let leadership = try store.leadTraining(of: group.id)
        defer { leadership?.release() }
        let clock = ContinuousClock()
        let start = clock.now
        BLAS.threadCount = 1
        started?(group.id)
        if group.status != .running { try store.updateRun(group.id, status: .running, updatedAt: Date()) }
        var reports: [PreferenceRunReport] = []
        do {
            for name in configuration.tasks { reports.append(try await runTask(name, group: group)) }
        } catch {
            _ = try? store.updateRun(group.id, status: .failed, updatedAt: Date())
            throw error
        }
        await board.end()
        let wall = group.wallSeconds + (clock.now - start).seconds
        let stored = try store.updateRun(group.id, status: .completed, updatedAt: Date(), wallSeconds: wall, report: try storedJSON(reports))
        return (stored, reports, wall)
    }

    /// Where a stored task stands.
    enum LearnerStart {
        case fresh
        case resume(PreferenceLearner, wallSeconds: Double)
        case done(PreferenceRunReport)
    }

    func learnerStart(_ run: RunRecord, task: any AmplificationTask & BoundedCheck) throws -> LearnerStart {
        if run.status == .completed, let json = run.report {
            guard let report = try? JSONDecoder().decode(PreferenceRunReport.self, from: Data(json.utf8)) else {
                throw ApplicationError.unreadableRun(run: run.id, problem: "its report is not an RL report")
            }
            return .done(report)
        }
        guard let checkpoint = try store.latestCheckpoint(run: run.id) else { return .fresh }
        guard checkpoint.formatVersion == PreferenceLearner.State.currentFormatVersion else {
            throw ApplicationError.incompatibleCheckpoint(
                "run \(run.id) step \(checkpoint.step) has format \(checkpoint.formatVersion), "
                    + "this ida reads \(PreferenceLearner.State.currentFormatVersion)")
        }
        let learner = try PreferenceLearner(task: task, resuming: try PreferenceLearner.State(bytes: checkpoint.payload))
        let summary = try? JSONDecoder().decode(TrainerStateSummary.self, from: Data(checkpoint.trainerState.utf8))
        return .resume(learner, wallSeconds: summary?.wallSeconds ?? run.wallSeconds)
    }

    func child(of group: RunRecord, task: String) throws -> RunRecord? {
        try store.children(of: group.id).first { $0.task == task && $0.kind == .rlhf }
    }

    /// Trains one task to its end (or returns its stored report).
    func runTask(_ name: String, group: RunRecord) async throws -> PreferenceRunReport {
        let task = try Self.boundedTask(name, preset: configuration.preset)
        let distillation = try configuration.distillation(task: name, targets: .groundTruth)
        let preferences = configuration.method.preferences!
        let run =
            try child(of: group, task: name)
            ?? store.createRun(
                NewRun(
                    kind: .rlhf, task: name, preset: configuration.preset, schedule: configuration.schedule.rawValue,
                    configuration: try storedJSON(distillation), seed: configuration.seed, createdAt: Date(),
                    parentID: group.id))
        let label = configuration.method.label
        let totalSteps = distillation.steps
        let budget = configuration.budgets[name]
        let learner: PreferenceLearner
        let priorWall: Double
        switch try learnerStart(run, task: task) {
        case .done(let report):
            await board.begin(task: name, sides: [SideProgress(label: label, step: report.steps, totalSteps: totalSteps)])
            await board.finish(label)
            return report
        case .fresh:
            learner = PreferenceLearner(
                task: task, answerer: distillation.answerer, preferences: preferences, seed: configuration.seed)
            priorWall = 0
        case .resume(let resumed, let wallSeconds):
            learner = resumed
            priorWall = wallSeconds
            try store.updateRun(run.id, status: .running, updatedAt: Date())
        }
        await board.begin(
            task: name, sides: [SideProgress(label: label, step: learner.steps, totalSteps: totalSteps, startStep: learner.steps)])
        var heldOut = SplitMix64(seed: configuration.seed).split(stream: 3)
        let own = learner.preferences.lookups.map { [$0] } ?? []
        let evaluation = PreferenceEvaluation(
            task: task, budgets: Array(Set(Self.measuredBudgets + own)).sorted(),
            heldOutCount: distillation.evaluation.instanceCount, rng: &heldOut)
        let clock = ContinuousClock()
        let begin = clock.now
        var wallSeconds: Double { priorWall + (clock.now - begin).seconds }
        var batch = RunBatch()
        var latest: (step: Int, report: PreferenceEvaluation.Report)?

        func evaluate() async throws {
            let report = evaluation.evaluate(policy: learner.policy, rewardModel: learner.rewardModel)
            latest = (learner.steps, report)
            batch.evaluations += Self.records(report, step: learner.steps)
            batch.metrics += Self.metrics(report, step: learner.steps)
            await board.note(Self.progressNote(name, label: label, report: report, learner: learner, budget: budget))
        }
        func checkpoint() throws {
            let summary = TrainerStateSummary(step: learner.steps, curriculumSize: task.size, wallSeconds: wallSeconds, roundsCompleted: 0)
            batch.checkpoint = CheckpointRecord(
                step: learner.steps, formatVersion: PreferenceLearner.State.currentFormatVersion,
                payload: try learner.state().serialized(), trainerState: try storedJSON(summary), createdAt: Date())
            batch.counters = RunCounters(counts: ["steps": learner.steps, "expertCalls": learner.evaluatorCost])
            try store.commit(batch, run: run.id)
            batch = RunBatch()
            try store.recordProgress(run.id, updatedAt: Date(), wallSeconds: wallSeconds)
        }

        let evaluationInterval = distillation.evaluation.interval
        let checkpointInterval = distillation.checkpointInterval
        do {
            while learner.steps < totalSteps, learner.evaluatorCost < budget ?? .max {
                try Task.checkCancellation()
                let step = learner.step()
                let at = learner.steps
                batch.metrics += [
                    MetricSample(step: at, name: "cost", value: Double(learner.evaluatorCost)),
                    MetricSample(step: at, name: "judgements", value: Double(step.judgements)),
                    MetricSample(step: at, name: "kl", value: step.meanKL),
                ]
                if let agreement = step.rewardModelAgreement {
                    batch.metrics.append(MetricSample(step: at, name: "reward_agreement", value: agreement))
                }
                await board.update(
                    label,
                    .step(StepMetrics(step: at, totalSteps: totalSteps, loss: step.meanKL, examples: step.judgements, curriculumSize: task.size)))
                if evaluationInterval > 0, at % evaluationInterval == 0 { try await evaluate() }
                if checkpointInterval > 0, at % checkpointInterval == 0 { try checkpoint() }
            }
            if latest?.step != learner.steps { try await evaluate() }
            try checkpoint()
        } catch {
            if !batch.metrics.isEmpty || !batch.evaluations.isEmpty { try? store.commit(RunBatch(metrics: batch.metrics, evaluations: batch.evaluations), run: run.id) }
            _ = try? store.updateRun(run.id, status: error is CancellationError ? .interrupted : .failed, updatedAt: Date(), wallSeconds: wallSeconds)
            throw error
        }
        let report = PreferenceRunReport(
            task: name, preset: configuration.preset, method: configuration.method, seed: configuration.seed, run: group.id,
            steps: learner.steps, totalSteps: totalSteps, evaluatorCost: learner.evaluatorCost, budget: budget,
            evaluation: latest!.report, wallSeconds: wallSeconds)
        try store.updateRun(run.id, status: .completed, updatedAt: Date(), wallSeconds: wallSeconds, report: try storedJSON(report))
        await board.finish(label)
        return report
    }

    /// The policy's sampled accuracy by depth as evaluation rows of model `policy`.
    static func records(_ report: PreferenceEvaluation.Report, step: Int) -> [EvaluationRecord] {
        report.depths.map {
            EvaluationRecord(step: step, model: .policy, depth: $0.depth, count: $0.slice.questions, correct: $0.slice.correct)
        }
    }

    static func metrics(_ report: PreferenceEvaluation.Report, step: Int) -> [MetricSample] {
        var samples: [MetricSample] = []
        if let accuracy = report.rewardModelAccuracy {
            samples.append(MetricSample(step: step, name: "reward_model_accuracy", value: accuracy))
        }
        for budget in report.budgets {
            let named = [
                ("verifiable_accuracy", budget.verifiable.accuracy), ("unverifiable_accuracy", budget.unverifiable.accuracy),
                ("approved_wrong", budget.overall.approvedWrongShare),
            ]
            for case let (name, value?) in named {
                samples.append(MetricSample(step: step, name: "\(name).b\(budget.lookups)", value: value))
            }
        }
        return samples
    }

    static func progressNote(
        _ task: String, label: String, report: PreferenceEvaluation.Report, learner: PreferenceLearner, budget: Int?
    ) -> String {
        let accuracy = report.overall.accuracy.map { String(format: "%.1f%%", 100 * $0) } ?? "-"
        let reward = report.rewardModelAccuracy.map { String(format: "%.1f%%", 100 * $0) } ?? "-"
        let spent = budget.map { "\(learner.evaluatorCost) of \($0)" } ?? "\(learner.evaluatorCost)"
        return "\(task) \(label) step \(learner.steps): accuracy \(accuracy), reward model \(reward), evaluator cost \(spent)"
    }
}

extension EvaluatedModel {
    /// An RL run's policy, sampled.
    public static let policy: EvaluatedModel = "policy"
}

/// What an RL run reports for one task.
public struct PreferenceRunReport: Codable, Sendable, Equatable {
    public var task: String
    public var preset: String
    public var method: TrainingMethod
    public var seed: UInt64
    /// The group run.
    public var run: String
    public var steps: Int
    public var totalSteps: Int
    /// The evaluator's cost: a supervisor step per judgement and its lookups.
    public var evaluatorCost: Int
    /// The cap on `evaluatorCost`, when the run had one.
    public var budget: Int?
    /// The final held-out evaluation.
    public var evaluation: PreferenceEvaluation.Report
    public var wallSeconds: Double
}
