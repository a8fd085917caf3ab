import Asker
import Distillation

extension RunReport {
    /// The report of one task from its two trainings' outcomes.
    ///
    /// X's accuracy is of sampled answers (the paper's measure, `EvaluationReport.modelAccuracy`);
    /// Amp(H, X) is 0 when it was not evaluated. The frontier is X's, per round, for `rounds`.
    public init(
        ia: TrainingJob.SideResult, supervised: TrainingJob.SideResult, task: String, preset: String, schedule: String,
        supervisor: String = "scripted", seed: UInt64, run: String, wallSeconds: Double
    ) {
        let iaEvaluation = ia.report.evaluation
        let supervisedEvaluation = supervised.report.evaluation
        self.init(
            task: task, preset: preset, schedule: schedule, supervisor: supervisor, seed: seed, run: run,
            ia: IAResult(
                accuracy: iaEvaluation.modelAccuracy,
                accuracyByDepth: Self.byDepth(iaEvaluation) { $0.modelAccuracy },
                ampAccuracy: iaEvaluation.amplifiedAccuracy ?? 0,
                ampAccuracyByDepth: Self.byDepth(iaEvaluation) { $0.amplifiedAccuracy ?? 0 },
                counters: ia.report.counters, wallSeconds: ia.wallSeconds),
            supervised: SupervisedResult(
                accuracy: supervisedEvaluation.modelAccuracy,
                accuracyByDepth: Self.byDepth(supervisedEvaluation) { $0.modelAccuracy },
                counters: supervised.report.counters, wallSeconds: supervised.wallSeconds),
            wallSeconds: wallSeconds,
            frontier: ia.report.schedule == .rounds ? ia.report.rounds.map(\.frontier) : nil,
            asker: ia.report.asker.map(AskerResult.init))
    }

    public static func byDepth(_ report: EvaluationReport, _ accuracy: (DepthAccuracy) -> Double) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: report.depths.map { (String($0.depth), accuracy($0)) })
    }
}

extension AskerResult {
    public init(_ report: AskerReport) {
        self.init(
            actionAccuracy: report.heldOutAccuracy.map(ActionAccuracyResult.init),
            latestActionAccuracy: report.latestAccuracy.map(ActionAccuracyResult.init), demonstrations: report.demonstrations,
            steps: report.steps, pausedSteps: report.pausedSteps, demonstrationRate: report.rate)
    }
}

extension ActionAccuracyResult {
    /// Whole actions: a sub-question or an answer counts when every token is right.
    public init(_ accuracy: ActionAccuracy) {
        self.init(subQuestion: accuracy.subquestions, answer: accuracy.answers)
    }
}
