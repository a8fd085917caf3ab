import Application
import Distillation
import Foundation

/// `ida compare`'s output: per task, one row per method with the mean (min–max) over its seeds,
/// and the learning curves against expert cost.
enum ComparisonTable {
    /// Mean (min–max) of the values, as percentages; `-` when there are none.
    static func spread(_ values: [Double]) -> String {
        guard !values.isEmpty else { return "-" }
        let spread = SeedSpreadReport.Spread(values)
        if spread.minimum == spread.maximum { return String(format: "%.1f", 100 * spread.mean) }
        return String(format: "%.1f (%.1f–%.1f)", 100 * spread.mean, 100 * spread.minimum, 100 * spread.maximum)
    }

    static func meanCount(_ values: [Int]) -> String {
        guard !values.isEmpty else { return "-" }
        return String(Int((Double(values.reduce(0, +)) / Double(values.count)).rounded()))
    }

    /// The methods of a task in the table's order, each with its entries (one per seed).
    static func groups(_ task: PreferenceComparison.TaskComparison) -> [(method: String, entries: [PreferenceComparison.Entry])] {
        let methods = task.entries.map(\.method).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return methods.map { method in (method, task.entries.filter { $0.method == method }) }
    }

    static func render(_ comparison: PreferenceComparison) -> String {
        var lines: [String] = []
        for task in comparison.tasks {
            let groups = groups(task)
            let depths = Set(task.entries.flatMap { $0.evaluation.depths.map(\.depth) }).sorted()
            let budgets = PreferenceJob.measuredBudgets
            let seeds = Set(task.entries.map(\.seed)).sorted().map(String.init).joined(separator: ", ")
            let questions = task.entries.first?.evaluation.overall.questions ?? 0
            lines.append(
                "\(task.task) · preset \(task.preset) · seeds \(seeds) · \(task.heldOutInstances) held-out instances "
                    + "(\(questions) questions), sampled answers · accuracy in %, mean (min–max) over seeds")
            lines.append("")
            var first = [["method", "seeds", "overall"] + depths.map { "depth \($0)" } + ["expert calls", "labels", "steps"]]
            for (method, entries) in groups {
                first.append(
                    [method, String(entries.count), spread(entries.compactMap { $0.evaluation.overall.accuracy })]
                        + depths.map { depth in
                            spread(entries.compactMap { $0.evaluation.depths.first { $0.depth == depth }?.slice.accuracy })
                        }
                        + [
                            entries.allSatisfy { $0.expertCalls == nil } ? "-" : meanCount(entries.compactMap(\.expertCalls)),
                            meanCount(entries.map(\.groundTruthLabels)), meanCount(entries.map(\.steps)),
                        ])
            }
            lines += ReportTable.table(first)
            lines.append("")
            let shares = budgets.map { b in
                let slice = task.entries.first?.evaluation.budget(b)
                return "E_\(b) verifies \(slice?.verifiable.questions ?? 0) of \(questions)"
            }
            lines.append("slices: " + shares.joined(separator: ", "))
            var second = [
                ["method"] + budgets.flatMap { ["E_\($0)-verifiable", "not"] } + ["reward model", "own E_b approves wrong"]
            ]
            for (method, entries) in groups {
                var row = [method]
                for b in budgets {
                    row.append(spread(entries.compactMap { $0.evaluation.budget(b)?.verifiable.accuracy }))
                    row.append(spread(entries.compactMap { $0.evaluation.budget(b)?.unverifiable.accuracy }))
                }
                row.append(spread(entries.compactMap(\.evaluation.rewardModelAccuracy)))
                row.append(
                    spread(entries.compactMap { entry in entry.lookups.flatMap { entry.evaluation.budget($0)?.overall.approvedWrongShare } }))
                second.append(row)
            }
            lines += ReportTable.table(second)
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// One SVG per task: each run's held-out accuracy against its expert calls so far (one line
    /// per seed, a colour per method); supervised has no expert calls and is not drawn.
    static func plot(_ task: PreferenceComparison.TaskComparison) -> LearningCurvePlot {
        let colours = [
            "IA": "#1f77b4", "RLHF E_1": "#d62728", "RLHF E_2": "#ff7f0e", "RLHF E_4": "#2ca02c", "RL oracle": "#9467bd",
        ]
        let curves = task.entries.filter { !$0.curve.isEmpty }.map { entry in
            LearningCurvePlot.Curve(
                label: entry.method, colour: colours[entry.method] ?? "#7f7f7f", dashed: entry.method == "RL oracle",
                points: entry.curve.map { (step: $0.expertCalls, accuracy: $0.accuracy) })
        }
        let seeds = Set(task.entries.map(\.seed)).sorted().map(String.init).joined(separator: ", ")
        var plot = LearningCurvePlot(
            title: "\(task.task) · preset \(task.preset) · seeds \(seeds) · held-out accuracy against expert calls",
            panels: [LearningCurvePlot.Panel(title: "overall (sampled)", curves: curves)])
        plot.xAxis = "expert calls (log scale)"
        plot.logarithmicX = true
        plot.panelWidth = 760
        return plot
    }
}
