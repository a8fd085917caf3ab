import Application
import Distillation

/// An RL run's report as text: the header, the policy's accuracy by depth, the slices each E_b
/// tells apart, and the reward model.
enum PreferenceReportTable {
    static func render(_ report: PreferenceRunReport) -> String {
        let evaluation = report.evaluation
        var lines = [
            "\(report.task) · preset \(report.preset) · \(report.method.label) · seed \(report.seed) · run \(report.run)",
            "steps \(report.steps) of \(report.totalSteps) · evaluator cost \(report.evaluatorCost)"
                + (report.budget.map { " (budget \($0))" } ?? "") + " · wall \(ReportTable.duration(report.wallSeconds))",
            "",
        ]
        let depths = evaluation.depths
        lines += ReportTable.table([
            ["accuracy (held-out, sampled)", "overall"] + depths.map { "depth \($0.depth)" },
            ["policy", percent(evaluation.overall.accuracy)] + depths.map { percent($0.slice.accuracy) },
        ])
        lines.append("")
        var rows = [["evaluator", "verifiable", "accuracy there", "accuracy elsewhere", "E_b approves wrong"]]
        for budget in evaluation.budgets {
            rows.append([
                "E_\(budget.lookups)", "\(budget.verifiable.questions) of \(budget.overall.questions)",
                percent(budget.verifiable.accuracy), percent(budget.unverifiable.accuracy),
                percent(budget.overall.approvedWrongShare),
            ])
        }
        lines += ReportTable.table(rows)
        lines.append("")
        lines.append(
            "reward model: the right answer scored higher in \(percent(evaluation.rewardModelAccuracy)) of "
                + "\(evaluation.rewardModelPairs) pairs of samples with exactly one right")
        return lines.joined(separator: "\n") + "\n"
    }

    static func percent(_ fraction: Double?) -> String { fraction.map(ReportTable.percent) ?? "-" }
}
