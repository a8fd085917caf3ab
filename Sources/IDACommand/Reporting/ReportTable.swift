import Application
import Foundation

/// Formats reports as the plain-text tables people read after a run (and `ida report` prints).
///
/// One place decides the layout: a header line, an accuracy table (overall and per depth for
/// IA's X, for Amp(H, X) and for the supervised baseline), then a cost table (supervisor actions,
/// expert calls, leaf lookups, ground-truth labels, steps, wall time), and with H′ a line on its
/// held-out action accuracy and demonstrations.
///
/// ```text
/// permutation · preset small · schedule continuous · supervisor scripted · seed 7 · run r-20261129-1a2b
///
/// accuracy (held-out, full size)  overall  depth 0  depth 1  depth 2
/// IA: X                             97.0%   100.0%    96.0%    95.0%
/// ```
enum ReportTable {
    /// The full report of one task.
    static func render(_ report: RunReport) -> String {
        var lines = [header(report)]
        lines.append("")
        lines += accuracyTable(report)
        lines.append("")
        lines += costTable(report)
        if let asker = report.asker {
            lines.append("")
            lines.append(askerLine(asker))
        }
        if let frontier = report.frontier, !frontier.isEmpty {
            lines.append("")
            lines.append("capability frontier by round: " + frontier.map(String.init).joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every task's report, then a summary table with one row per task.
    static func render(_ report: MultiTaskReport) -> String {
        var text = report.reports.map(render).joined(separator: "\n")
        text += "\n" + summary(report)
        return text
    }

    /// One row per task: IA's X, Amp(H, X) and supervised accuracy, the gap, IA's expert calls
    /// and ground-truth labels, the baseline's labels, and each side's wall time.
    static func summary(_ report: MultiTaskReport) -> String {
        var rows = [[
            "task", "IA: X", "IA: Amp(H, X)", "supervised", "IA - supervised", "IA expert calls", "IA labels",
            "supervised labels", "IA wall", "supervised wall",
        ]]
        for task in report.reports {
            rows.append([
                task.task, percent(task.ia.accuracy), percent(task.ia.ampAccuracy),
                percent(task.supervised.accuracy), points(task.ia.accuracy - task.supervised.accuracy),
                String(task.ia.counters.expertCalls), String(task.ia.counters.groundTruthLabels),
                String(task.supervised.counters.groundTruthLabels),
                duration(task.ia.wallSeconds), duration(task.supervised.wallSeconds),
            ])
        }
        let supervisor = report.reports.first?.supervisor ?? "scripted"
        let head =
            "all tasks · preset \(report.preset) · schedule \(report.schedule) · supervisor \(supervisor) · seed \(report.seed) · run \(report.run)"
        return head + "\n\n" + table(rows).joined(separator: "\n") + "\n\ntotal wall time \(duration(report.wallSeconds))\n"
    }

    /// H′'s line: held-out action accuracy per action type, demonstrations, steps.
    static func askerLine(_ asker: AskerResult) -> String {
        var text = "H′ (learned supervisor):"
        if let accuracy = asker.actionAccuracy {
            text += " held-out action accuracy sub-questions \(percent(accuracy.subQuestion)), answers \(percent(accuracy.answer)) ·"
        }
        return text + " \(asker.demonstrations) demonstrations · \(asker.steps) steps (\(asker.pausedSteps) paused)"
            + " · final rate \(asker.demonstrationRate) per X step"
    }

    static func header(_ report: RunReport) -> String {
        "\(report.task) · preset \(report.preset) · schedule \(report.schedule) · supervisor \(report.supervisor) · seed \(report.seed)"
            + " · run \(report.run)"
    }

    static func accuracyTable(_ report: RunReport) -> [String] {
        let depths = Set(report.ia.accuracyByDepth.keys)
            .union(report.ia.ampAccuracyByDepth.keys)
            .union(report.supervised.accuracyByDepth.keys)
            .compactMap(Int.init).sorted()
        var rows = [["accuracy (held-out, full size)", "overall"] + depths.map { "depth \($0)" }]
        func row(_ name: String, _ overall: Double, _ byDepth: [String: Double]) -> [String] {
            [name, percent(overall)] + depths.map { byDepth[String($0)].map(percent) ?? "-" }
        }
        rows.append(row("IA: X", report.ia.accuracy, report.ia.accuracyByDepth))
        rows.append(row("IA: Amp(H, X)", report.ia.ampAccuracy, report.ia.ampAccuracyByDepth))
        rows.append(row("supervised", report.supervised.accuracy, report.supervised.accuracyByDepth))
        return table(rows)
    }

    static func costTable(_ report: RunReport) -> [String] {
        let rows = [
            [
                "cost", "supervisor actions", "expert calls", "leaf lookups", "ground-truth labels", "steps", "examples",
                "wall time",
            ],
            [
                "IA", String(report.ia.counters.amplification.supervisorActions), String(report.ia.counters.expertCalls),
                String(report.ia.counters.amplification.leafLookups), String(report.ia.counters.groundTruthLabels),
                String(report.ia.counters.steps), String(report.ia.counters.examples),
                duration(report.ia.wallSeconds),
            ],
            [
                "supervised", "-", "-", "-", String(report.supervised.counters.groundTruthLabels),
                String(report.supervised.counters.steps), String(report.supervised.counters.examples),
                duration(report.supervised.wallSeconds),
            ],
        ]
        return table(rows) + ["total wall time \(duration(report.wallSeconds))"]
    }

    /// Aligns `rows` in columns two spaces apart: the first column (and any column for which
    /// `leftAligned` is true) to the left, the others to the right.
    static func table(_ rows: [[String]], leftAligned: (Int) -> Bool = { $0 == 0 }) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in
            rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return leftAligned(column) ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
    }

    /// `0.9712` → `97.1%`.
    static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction * 100)
    }

    /// `-0.012` → `-1.2 pts`.
    static func points(_ difference: Double) -> String {
        String(format: "%+.1f pts", difference * 100)
    }

    /// `95.24` → `1m35s`; under a minute `42.1s`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60)m\(String(format: "%02d", whole % 60))s" }
        return "\(whole / 3600)h\(String(format: "%02d", whole / 60 % 60))m"
    }
}
