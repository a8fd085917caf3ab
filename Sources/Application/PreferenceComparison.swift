import Distillation
import Foundation
import NeuralNetworks
import SeededRandom
import Store
import Tasks
import TensorCore

/// The comparison of amplification with RL from preferences (`Documentation/RLHF.md`), read
/// from stored runs: every final model (IA's X, the supervised model, each RL policy) measured
/// by ``PreferenceEvaluation`` on the same fresh instances of each task, with its cost, and its
/// learning curve against expert cost from the run's stored evaluations.
///
/// Nothing is trained here; the held-out instances come from a seed of their own, so every
/// model of a task answers exactly the same questions.
public struct PreferenceComparison: Codable, Sendable {
    /// One model of one run.
    public struct Entry: Codable, Sendable {
        /// `IA`, `supervised`, `RLHF E_2`, `RL oracle`.
        public var method: String
        public var seed: UInt64
        /// The group run.
        public var run: String
        public var steps: Int
        /// Expert calls (IA: supervisor actions; RL: the evaluator's cost); nil for supervised.
        public var expertCalls: Int?
        /// Ground-truth labels consumed (supervised; 0 for the others).
        public var groundTruthLabels: Int
        /// E_b's b for an RLHF policy.
        public var lookups: Int?
        public var evaluation: PreferenceEvaluation.Report
        /// The run's own held-out accuracy (sampled) against its expert calls so far.
        public var curve: [CurvePoint]
    }

    public struct CurvePoint: Codable, Sendable, Equatable {
        public var step: Int
        public var expertCalls: Int
        public var accuracy: Double
    }

    public struct TaskComparison: Codable, Sendable {
        public var task: String
        public var preset: String
        public var heldOutInstances: Int
        public var entries: [Entry]
    }

    public var tasks: [TaskComparison]

    /// The order rows are shown in.
    public static let methodOrder = ["IA", "RLHF E_1", "RLHF E_2", "RLHF E_4", "RL oracle", "supervised"]

    /// Reads the group runs `runs` (`ida run`'s, any method, seed and task) and measures their
    /// final models on `heldOutCount` fresh instances per task.
    ///
    /// - Throws: `StoreError.runNotFound`, ``ApplicationError`` for a run that is not a finished
    ///   `ida run` of a task E_b can judge, or whose models do not load.
    public static func build(runs: [String], store: any RunStore, heldOutCount: Int = 128) throws -> PreferenceComparison {
        var byTask: [String: (preset: String, entries: [Entry])] = [:]
        var evaluations: [String: PreferenceEvaluation] = [:]
        for id in runs {
            var group = try store.run(id: id)
            if group.kind != .group, let parent = group.parentID { group = try store.run(id: parent) }
            guard group.kind == .group, group.status == .completed else {
                throw ApplicationError.unreadableRun(run: id, problem: "it is not a finished `ida run`")
            }
            for child in try store.children(of: group.id) {
                let task = try PreferenceJob.boundedTask(child.task, preset: child.preset)
                if let preset = byTask[child.task]?.preset, preset != child.preset {
                    throw ApplicationError.invalidJob("\(child.task) was run at presets \(preset) and \(child.preset); compare one preset")
                }
                let key = child.task
                if evaluations[key] == nil {
                    var rng = SplitMix64(seed: 0x5EED_C0DE)
                    evaluations[key] = PreferenceEvaluation(
                        task: task, budgets: PreferenceJob.measuredBudgets, heldOutCount: heldOutCount, rng: &rng)
                }
                let entry = try Self.entry(child, task: task, group: group, store: store, evaluation: evaluations[key]!)
                byTask[key, default: (child.preset, [])].entries.append(entry)
            }
        }
        let tasks = TaskCatalog.taskNames.compactMap { name in
            byTask[name].map { value in
                TaskComparison(
                    task: name, preset: value.preset, heldOutInstances: heldOutCount,
                    entries: value.entries.sorted {
                        (methodOrder.firstIndex(of: $0.method) ?? .max, $0.seed) < (methodOrder.firstIndex(of: $1.method) ?? .max, $1.seed)
                    })
            }
        }
        return PreferenceComparison(tasks: tasks)
    }

    static func entry(
        _ run: RunRecord, task: any AmplificationTask & BoundedCheck, group: RunRecord, store: any RunStore,
        evaluation: PreferenceEvaluation
    ) throws -> Entry {
        guard run.status == .completed, let checkpoint = try store.latestCheckpoint(run: run.id) else {
            throw ApplicationError.noCheckpoint(run: run.id)
        }
        switch run.kind {
        case .ia, .supervised:
            let state = try CheckpointSource.state(checkpoint.payload, name: "run \(run.id)")
            let model = try CheckpointSource.teacher(of: state, name: "run \(run.id)")
            let isIA = run.kind == .ia
            var curve: [CurvePoint] = []
            if isIA {
                // Expert calls so far at each evaluation: with H′ the stored running total; with
                // the scripted expert every supervisor action, the sum of what each generation spent.
                let total = try store.metricSeries("expert_calls", run: run.id)
                let spent = try store.metricSeries("supervisor_actions", run: run.id)
                for point in try store.overallAccuracy(run: run.id, model: .x) {
                    let calls =
                        total.isEmpty
                        ? spent.lazy.filter { $0.step <= point.step }.reduce(0) { $0 + Int($1.value) }
                        : Int(total.last { $0.step <= point.step }?.value ?? 0)
                    curve.append(CurvePoint(step: point.step, expertCalls: calls, accuracy: point.value))
                }
            }
            return Entry(
                method: isIA ? "IA" : "supervised", seed: run.seed, run: group.id, steps: state.counters.steps,
                expertCalls: isIA ? state.counters.expertCalls : nil, groundTruthLabels: state.counters.groundTruthLabels,
                lookups: nil, evaluation: evaluation.evaluate(policy: model), curve: curve)
        case .rlhf:
            let state: PreferenceLearner.State
            do {
                state = try PreferenceLearner.State(bytes: checkpoint.payload)
            } catch {
                throw ApplicationError.incompatibleCheckpoint("run \(run.id): \(error)")
            }
            let learner = try PreferenceLearner(task: task, resuming: state)
            let cost = try store.metricSeries("cost", run: run.id)
            let curve = try store.overallAccuracy(run: run.id, model: .policy).map { point in
                CurvePoint(
                    step: point.step, expertCalls: Int(cost.last { $0.step <= point.step }?.value ?? 0), accuracy: point.value)
            }
            let method = TrainingMethod(preferences: state.preferences)
            return Entry(
                method: method.label, seed: run.seed, run: group.id, steps: state.steps, expertCalls: state.evaluatorCost,
                groundTruthLabels: 0, lookups: state.preferences.lookups,
                evaluation: evaluation.evaluate(policy: learner.policy, rewardModel: learner.rewardModel), curve: curve)
        case .group, .hch:
            throw ApplicationError.unreadableRun(run: run.id, problem: "it holds no trained model")
        }
    }
}
