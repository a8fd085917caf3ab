import Application
import Foundation

/// How `ida hch` prints an evaluation: JSON, or the staircase as a table.
extension HCHEvaluation {
    func json() throws -> String {
        try RunCommand.prettyJSON(self)
    }

    /// The staircase as text: a row per question depth, a column per HCH_n, then the costs.
    func table() -> String {
        let hchDepths = costs.map(\.hchDepth)
        let questionDepths = Array(Set(rows.map(\.questionDepth))).sorted()
        var lines = [
            "\(task) (\(preset)): \(instances) instances, \(questions) questions, seed \(seed)",
            "accuracy by question depth (rows) for HCH_n (columns); 1.00 on and below the diagonal is the staircase",
            pad("depth", 6) + pad("count", 7) + hchDepths.map { pad("HCH_\($0)", 8) }.joined(),
        ]
        for depth in questionDepths {
            let cells = rows.filter { $0.questionDepth == depth }.sorted { $0.hchDepth < $1.hchDepth }
            lines.append(
                pad("\(depth)", 6) + pad("\(cells.first?.count ?? 0)", 7)
                    + cells.map { pad(String(format: "%.2f", $0.accuracy), 8) }.joined())
        }
        lines.append("")
        lines.append(
            pad("", 7) + pad("supervisor actions", 20) + pad("leaf lookups", 14) + pad("assistant calls", 17)
                + pad("questions to assistants", 25) + "ground truth")
        for cost in costs {
            let c = cost.counters
            lines.append(
                pad("HCH_\(cost.hchDepth)", 7) + pad("\(c.supervisorActions)", 20) + pad("\(c.leafLookups)", 14)
                    + pad("\(c.assistantCalls)", 17) + pad("\(c.assistantQuestions)", 25) + "\(c.groundTruthAnswers)")
        }
        if costs.contains(where: { $0.model != nil }) {
            lines.append("")
            lines.append("language model")
            for cost in costs {
                guard let usage = cost.model else { continue }
                lines.append(
                    pad("HCH_\(cost.hchDepth)", 7) + usage.summary
                        + (cost.wallSeconds.map { String(format: "; %.1f s", $0) } ?? ""))
            }
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
