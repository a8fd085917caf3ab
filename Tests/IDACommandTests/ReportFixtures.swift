@testable import Application
@testable import IDACommand
import Store
import Distillation

/// Fixed reports and evaluation records for the formatting tests.
enum ReportFixtures {
    static let report = RunReport(
        task: "permutation", preset: "small", schedule: "continuous", seed: 7, run: "r-20261129-1a2b",
        ia: IAResult(
            accuracy: 0.9712, accuracyByDepth: ["0": 1.0, "1": 0.965, "2": 0.9],
            ampAccuracy: 0.99, ampAccuracyByDepth: ["0": 1.0, "1": 0.99, "2": 0.975],
            counters: counts(steps: 3000, examples: 96_000, supervisorActions: 123_456, leafLookups: 23_456, expertCalls: 123_456),
            wallSeconds: 95.24),
        supervised: SupervisedResult(
            accuracy: 0.98, accuracyByDepth: ["0": 1.0, "1": 0.97, "2": 0.96],
            counters: counts(steps: 3000, examples: 96_000, groundTruthLabels: 48_000), wallSeconds: 61.5),
        wallSeconds: 97.0)

    static func counts(
        steps: Int, examples: Int, supervisorActions: Int = 0, leafLookups: Int = 0, groundTruthLabels: Int = 0,
        expertCalls: Int = 0
    ) -> TrainingCounters {
        var counters = TrainingCounters()
        counters.steps = steps
        counters.examples = examples
        counters.amplification.supervisorActions = supervisorActions
        counters.amplification.leafLookups = leafLookups
        counters.groundTruthLabels = groundTruthLabels
        counters.expertCalls = expertCalls
        return counters
    }

    /// The same run with H′ as IA's supervisor.
    static var learnedReport: RunReport {
        var report = report
        report.supervisor = "learned"
        report.ia.counters.expertCalls = 1_056
        report.asker = AskerResult(
            actionAccuracy: ActionAccuracyResult(subQuestion: 1, answer: 0.9875),
            latestActionAccuracy: ActionAccuracyResult(subQuestion: 1, answer: 1), demonstrations: 325, steps: 390,
            pausedSteps: 2610, demonstrationRate: 0.01)
        return report
    }

    /// Two evaluations of X, Amp(H, X) and supervised at depths 0 and 1.
    static let ia: [EvaluationRecord] = [
        EvaluationRecord(step: 100, model: .x, depth: 0, count: 10, correct: 5),
        EvaluationRecord(step: 100, model: .x, depth: 1, count: 10, correct: 1),
        EvaluationRecord(step: 100, model: .amp, depth: 0, count: 10, correct: 9),
        EvaluationRecord(step: 100, model: .amp, depth: 1, count: 10, correct: 4),
        EvaluationRecord(step: 200, model: .x, depth: 0, count: 10, correct: 10),
        EvaluationRecord(step: 200, model: .x, depth: 1, count: 10, correct: 8),
        EvaluationRecord(step: 200, model: .amp, depth: 0, count: 10, correct: 10),
        EvaluationRecord(step: 200, model: .amp, depth: 1, count: 10, correct: 10),
    ]

    static let supervised: [EvaluationRecord] = [
        EvaluationRecord(step: 100, model: .supervised, depth: 0, count: 10, correct: 6),
        EvaluationRecord(step: 100, model: .supervised, depth: 1, count: 10, correct: 2),
        EvaluationRecord(step: 200, model: .supervised, depth: 0, count: 10, correct: 10),
        EvaluationRecord(step: 200, model: .supervised, depth: 1, count: 10, correct: 9),
    ]
}
