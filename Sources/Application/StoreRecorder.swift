import Asker
import Distillation
import Foundation
import Store

/// Keeps one training's events in the ``RunStore``: the Store adapter of Distillation's
/// ``RunRecorder``.
///
/// Step and generation metrics are buffered and committed in one transaction with the next
/// evaluation or checkpoint (``RunBatch``), so a run killed with `kill -9` loses only what came
/// after its last commit, and never holds a checkpoint without the metrics that led to it. A
/// resumed run writes the same steps again with the same values (training is deterministic), and
/// the store replaces them.
///
/// Stored series: `loss`, `examples`, `curriculum_size` (per step); `agreement`,
/// `average_agreement`, `supervisor_actions`, `leaf_lookups` (per generation, what that generation
/// spent) and `expert_calls` (IA, the run's total so far); `asker_subquestion_accuracy`,
/// `asker_answer_accuracy` (per evaluation, with H′); `frontier`, `amplified_frontier` (per
/// round). Evaluations: model `x` (or `supervised`) for X's sampled answers, `x-greedy`
/// (`supervised-greedy`), and `amp` for Amp(H, X). The run's ``RunCounters`` are committed with
/// every checkpoint and at the end.
public final class StoreRecorder: RunRecorder {
    public let store: any RunStore
    public let runID: String
    /// The evaluated model's name: `x` for IA, `supervised` for the baseline.
    public let model: EvaluatedModel
    /// Wall time spent on the run before this process (after a `--resume`).
    public let priorWallSeconds: Double
    /// Who made IA's decompositions; nil for the baseline.
    public let supervisor: RunCounters.Supervisor?
    /// Every event, after it is stored: the progress line.
    public let onEvent: (TrainingEvent) async -> Void
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var batch = RunBatch()

    public init(
        store: any RunStore, runID: String, model: EvaluatedModel, priorWallSeconds: Double,
        supervisor: RunCounters.Supervisor? = nil, onEvent: @escaping (TrainingEvent) async -> Void = { _ in }
    ) {
        self.supervisor = supervisor
        self.store = store
        self.runID = runID
        self.model = model
        self.priorWallSeconds = priorWallSeconds
        self.onEvent = onEvent
        start = clock.now
    }

    /// Wall time of the run so far, this process's part included.
    public var wallSeconds: Double {
        priorWallSeconds + (clock.now - start).seconds
    }

    /// Stores what `event` says (batched until an evaluation or a checkpoint). A cancelled
    /// training stops here, at its next event.
    public func record(_ event: TrainingEvent) async throws {
        try Task.checkCancellation()
        switch event {
        case .step(let metrics):
            batch.metrics += [
                MetricSample(step: metrics.step, name: "loss", value: metrics.loss),
                MetricSample(step: metrics.step, name: "examples", value: Double(metrics.examples)),
                MetricSample(step: metrics.step, name: "curriculum_size", value: Double(metrics.curriculumSize)),
            ]
        case .generation(let generation):
            batch.metrics += [
                MetricSample(step: generation.step, name: "agreement", value: generation.agreement),
                MetricSample(step: generation.step, name: "average_agreement", value: generation.averageAgreement),
                MetricSample(step: generation.step, name: "supervisor_actions", value: Double(generation.counters.supervisorActions)),
                MetricSample(step: generation.step, name: "leaf_lookups", value: Double(generation.counters.leafLookups)),
            ]
            if supervisor != nil {
                batch.metrics.append(
                    MetricSample(step: generation.step, name: "expert_calls", value: Double(generation.expertCalls)))
            }
        case .evaluation(let report):
            batch.evaluations += Self.records(report, model: model)
            if let asker = report.askerAccuracy {
                batch.metrics += [
                    MetricSample(step: report.step, name: "asker_subquestion_accuracy", value: asker.subquestions),
                    MetricSample(step: report.step, name: "asker_answer_accuracy", value: asker.answers),
                ]
            }
            try flush()
        case .checkpoint(let state):
            batch.checkpoint = CheckpointRecord(
                step: state.step, formatVersion: TrainingState.currentFormatVersion, payload: try state.serialized(),
                trainerState: Self.trainerState(state, wallSeconds: wallSeconds), createdAt: Date())
            batch.counters = Self.counters(
                state.counters, asker: state.evaluations.last?.askerAccuracy, supervisor: supervisor)
            try flush()
            try store.recordProgress(runID, updatedAt: Date(), wallSeconds: wallSeconds)
        case .roundEnd(let round):
            batch.metrics.append(MetricSample(step: round.step, name: "frontier", value: Double(round.frontier)))
            if let amplified = round.amplifiedFrontier {
                batch.metrics.append(MetricSample(step: round.step, name: "amplified_frontier", value: Double(amplified)))
            }
            try flush()
        }
        await onEvent(event)
    }

    /// Commits what is buffered.
    public func flush() throws {
        guard !batch.isEmpty else { return }
        try store.commit(batch, run: runID)
        batch = RunBatch()
    }

    /// Stores the finished run: the remaining metrics, every evaluation of the report (again, so
    /// a run resumed after an evaluation that was never committed still has it), its report as
    /// JSON, and the status `completed`.
    public func finish(_ report: DistillationReport) throws {
        batch.evaluations += report.evaluations.flatMap { Self.records($0, model: model) }
        batch.counters = Self.counters(report.counters, asker: report.asker?.heldOutAccuracy, supervisor: supervisor)
        try flush()
        try store.updateRun(
            runID, status: .completed, updatedAt: Date(), wallSeconds: wallSeconds, report: try storedJSON(report))
    }

    /// The store's counters: every count of `counters` by its name in their encoding (the
    /// engine's as `amplification.supervisorActions`, …), and H′'s held-out accuracy per action
    /// type (whole sub-questions, whole answers) when it has been measured.
    public static func counters(
        _ counters: TrainingCounters, asker: ActionAccuracy?, supervisor: RunCounters.Supervisor?
    ) -> RunCounters {
        RunCounters(
            supervisor: supervisor, counts: namedCounts(of: counters),
            askerSubquestionAccuracy: asker?.subquestions, askerAnswerAccuracy: asker?.answers)
    }

    /// The integers of `value`'s JSON encoding by their key path (`a.b` for key `b` inside `a`).
    static func namedCounts(of value: some Encodable) -> [String: Int] {
        guard let data = try? JSONEncoder().encode(value), let object = try? JSONSerialization.jsonObject(with: data)
        else { preconditionFailure("StoreRecorder: counters that do not encode as JSON") }
        var counts: [String: Int] = [:]
        func collect(_ object: Any, prefix: String) {
            if let dictionary = object as? [String: Any] {
                for (key, inner) in dictionary { collect(inner, prefix: prefix.isEmpty ? key : prefix + "." + key) }
            } else if let number = object as? NSNumber {
                counts[prefix] = number.intValue
            }
        }
        collect(object, prefix: "")
        return counts
    }

    /// The evaluation as store rows: sampled and greedy X, and Amp(H, X) when evaluated.
    public static func records(_ report: EvaluationReport, model: EvaluatedModel) -> [EvaluationRecord] {
        let greedy = EvaluatedModel(rawValue: model.rawValue + "-greedy")
        return report.depths.flatMap { depth in
            var records = [
                EvaluationRecord(
                    step: report.step, model: model, depth: depth.depth, count: depth.questionCount,
                    correct: depth.modelSampledCorrect),
                EvaluationRecord(
                    step: report.step, model: greedy, depth: depth.depth, count: depth.questionCount,
                    correct: depth.modelGreedyCorrect),
            ]
            if let amplified = depth.amplifiedCorrect {
                records.append(
                    EvaluationRecord(
                        step: report.step, model: .amp, depth: depth.depth, count: depth.questionCount,
                        correct: amplified))
            }
            return records
        }
    }

    /// A small JSON summary beside the checkpoint's payload: what `ida runs` and `--resume` read
    /// without decoding the models.
    public static func trainerState(_ state: TrainingState, wallSeconds: Double) -> String {
        let summary = TrainerStateSummary(
            step: state.step, curriculumSize: state.curriculum.size, wallSeconds: wallSeconds,
            roundsCompleted: state.roundsCompleted)
        return (try? storedJSON(summary)) ?? "{}"
    }
}

/// The checkpoint's `trainerState` column: a readable summary (the full state is the payload).
public struct TrainerStateSummary: Codable, Equatable {
    public var step: Int
    public var curriculumSize: Int
    /// The run's wall time up to this checkpoint: a resumed run continues counting from it.
    public var wallSeconds: Double
    public var roundsCompleted: Int
}
