import Foundation
import Store

/// Learning curves of one task as an SVG file: accuracy against training step, IA's X, Amp(H, X)
/// and the supervised baseline, in one panel for the overall accuracy and one per question depth.
///
/// The plot is a pure function of the stored evaluations, so `ida report` redraws exactly what
/// `ida run` drew. Colours: X blue, Amp(H, X) orange, supervised grey and dashed.
///
/// ```swift
/// let plot = LearningCurvePlot(title: "permutation (small)", ia: iaRecords, supervised: supervisedRecords)
/// try plot.svg().write(toFile: path, atomically: true, encoding: .utf8)
/// ```
struct LearningCurvePlot: Sendable {
    /// One line of a panel: accuracy (0...1) by training step.
    struct Curve: Sendable, Equatable {
        var label: String
        var colour: String
        var dashed: Bool
        var points: [(step: Int, accuracy: Double)]

        static func == (lhs: Curve, rhs: Curve) -> Bool {
            lhs.label == rhs.label && lhs.colour == rhs.colour && lhs.dashed == rhs.dashed
                && lhs.points.map(\.step) == rhs.points.map(\.step)
                && lhs.points.map(\.accuracy) == rhs.points.map(\.accuracy)
        }
    }

    /// A titled set of curves sharing axes.
    struct Panel: Sendable, Equatable {
        var title: String
        var curves: [Curve]
    }

    var title: String
    var panels: [Panel]
    /// What the x axis counts: training steps, or (for `ida compare`) expert calls.
    var xAxis = "step"
    /// A logarithmic x axis from the power of ten below the smallest positive x (expert calls
    /// span orders of magnitude between methods).
    var logarithmicX = false

    /// A panel's width; `ida compare` draws one wide panel.
    var panelWidth = 320.0
    static let panelHeight = 220.0
    static let columns = 3
    static let margin = (left: 44.0, right: 12.0, top: 28.0, bottom: 34.0)

    init(title: String, panels: [Panel]) {
        self.title = title
        self.panels = panels
    }

    /// Panels built from stored evaluation records: `ia` holds models `x` and `amp`,
    /// `supervised` holds model `supervised` (records of other models are ignored).
    init(title: String, ia: [EvaluationRecord], supervised: [EvaluationRecord]) {
        let series: [(label: String, colour: String, dashed: Bool, records: [EvaluationRecord])] = [
            ("IA: X", "#1f77b4", false, ia.filter { $0.model == .x }),
            ("IA: Amp(H, X)", "#ff7f0e", false, ia.filter { $0.model == .amp }),
            ("supervised", "#7f7f7f", true, supervised.filter { $0.model == .supervised }),
        ]
        let depths = Set(series.flatMap { $0.records.map(\.depth) }).sorted()
        func curve(_ entry: (label: String, colour: String, dashed: Bool, records: [EvaluationRecord]), depth: Int?) -> Curve {
            let chosen = entry.records.filter { depth == nil || $0.depth == depth }
            let byStep = Dictionary(grouping: chosen, by: \.step)
            let points = byStep.keys.sorted().map { step -> (step: Int, accuracy: Double) in
                let records = byStep[step] ?? []
                let count = records.reduce(0) { $0 + $1.count }
                let correct = records.reduce(0) { $0 + $1.correct }
                return (step, count == 0 ? 0 : Double(correct) / Double(count))
            }
            return Curve(label: entry.label, colour: entry.colour, dashed: entry.dashed, points: points)
        }
        var panels = [Panel(title: "overall", curves: series.map { curve($0, depth: nil) })]
        for depth in depths {
            panels.append(Panel(title: "depth \(depth)", curves: series.map { curve($0, depth: depth) }))
        }
        self.init(title: title, panels: panels)
    }

    /// The whole SVG document.
    func svg() -> String {
        let rows = max(1, (panels.count + Self.columns - 1) / Self.columns)
        let width = panelWidth * Double(min(max(panels.count, 1), Self.columns))
        let legendHeight = 20 * Double(legendRows(width: width)) + 4
        let height = 30 + legendHeight + Self.panelHeight * Double(rows)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Self.number(width))" height="\(Self.number(height))" \
            viewBox="0 0 \(Self.number(width)) \(Self.number(height))" font-family="sans-serif" font-size="11">

            """
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"8\" y=\"18\" font-size=\"14\">\(Self.escape(title))</text>\n"
        out += legend(y: 38, width: width)
        let maxStep = panels.flatMap { $0.curves.flatMap { $0.points.map(\.step) } }.max() ?? 0
        // The log axis starts at the power of ten below the smallest positive x.
        let smallest = panels.flatMap { $0.curves.flatMap { $0.points.map(\.step) } }.filter { $0 > 0 }.min() ?? 1
        var lowestPower = 1
        while lowestPower * 10 <= smallest { lowestPower *= 10 }
        for (index, panel) in panels.enumerated() {
            let x = panelWidth * Double(index % Self.columns)
            let y = 30 + legendHeight + Self.panelHeight * Double(index / Self.columns)
            out += self.panel(panel, x: x, y: y, maxStep: max(maxStep, 1), lowestPower: lowestPower)
        }
        out += "</svg>\n"
        return out
    }

    /// One entry per label (several curves may share one, e.g. one per seed), as many per row as fit.
    private var legendEntries: [Curve] {
        var seen: Set<String> = []
        return (panels.first?.curves ?? []).filter { seen.insert($0.label).inserted }
    }

    /// Legend entries per row: 130 points each.
    private static func legendPerRow(width: Double) -> Int { max(1, Int((width - 8) / 130)) }

    private func legendRows(width: Double) -> Int {
        let perRow = Self.legendPerRow(width: width)
        return max(1, (legendEntries.count + perRow - 1) / perRow)
    }

    private func legend(y top: Double, width: Double) -> String {
        let perRow = Self.legendPerRow(width: width)
        var out = ""
        for (index, curve) in legendEntries.enumerated() {
            let x = 8 + 130 * Double(index % perRow)
            let y = top + 20 * Double(index / perRow)
            out += "<line x1=\"\(Self.number(x))\" y1=\"\(Self.number(y))\" x2=\"\(Self.number(x + 24))\" y2=\"\(Self.number(y))\" "
                + "stroke=\"\(curve.colour)\" stroke-width=\"2\"\(curve.dashed ? " stroke-dasharray=\"5,3\"" : "")/>\n"
            out += "<text x=\"\(Self.number(x + 30))\" y=\"\(Self.number(y + 4))\">\(Self.escape(curve.label))</text>\n"
        }
        return out
    }

    private func panel(_ panel: Panel, x: Double, y: Double, maxStep: Int, lowestPower: Int) -> String {
        let m = Self.margin
        let left = x + m.left
        let top = y + m.top
        let plotWidth = panelWidth - m.left - m.right
        let plotHeight = Self.panelHeight - m.top - m.bottom
        func px(_ step: Int) -> Double {
            guard logarithmicX else { return left + plotWidth * Double(step) / Double(maxStep) }
            let (low, high) = (log10(Double(lowestPower)), log10(Double(maxStep)))
            return left + plotWidth * (log10(Double(max(step, lowestPower))) - low) / max(high - low, 1)
        }
        func py(_ accuracy: Double) -> Double { top + plotHeight * (1 - min(max(accuracy, 0), 1)) }

        var out = "<g>\n"
        out += "<text x=\"\(Self.number(left))\" y=\"\(Self.number(top - 8))\" font-size=\"12\">\(Self.escape(panel.title))</text>\n"
        out += "<rect x=\"\(Self.number(left))\" y=\"\(Self.number(top))\" width=\"\(Self.number(plotWidth))\" "
            + "height=\"\(Self.number(plotHeight))\" fill=\"none\" stroke=\"#cccccc\"/>\n"
        for tick in [0.0, 0.5, 0.9, 1.0] {
            out += "<line x1=\"\(Self.number(left))\" y1=\"\(Self.number(py(tick)))\" x2=\"\(Self.number(left + plotWidth))\" "
                + "y2=\"\(Self.number(py(tick)))\" stroke=\"#eeeeee\"/>\n"
            out += "<text x=\"\(Self.number(left - 4))\" y=\"\(Self.number(py(tick) + 4))\" text-anchor=\"end\">\(Int(tick * 100))%</text>\n"
        }
        if logarithmicX {
            var power = lowestPower
            while power <= maxStep {
                out += "<line x1=\"\(Self.number(px(power)))\" y1=\"\(Self.number(top))\" x2=\"\(Self.number(px(power)))\" "
                    + "y2=\"\(Self.number(top + plotHeight))\" stroke=\"#eeeeee\"/>\n"
                out += "<text x=\"\(Self.number(px(power)))\" y=\"\(Self.number(top + plotHeight + 14))\" text-anchor=\"middle\">\(power)</text>\n"
                power *= 10
            }
        } else {
            out += "<text x=\"\(Self.number(left))\" y=\"\(Self.number(top + plotHeight + 14))\">0</text>\n"
            out += "<text x=\"\(Self.number(left + plotWidth))\" y=\"\(Self.number(top + plotHeight + 14))\" text-anchor=\"end\">\(maxStep)</text>\n"
        }
        out += "<text x=\"\(Self.number(left + plotWidth / 2))\" y=\"\(Self.number(top + plotHeight + 28))\" text-anchor=\"middle\">\(Self.escape(xAxis))</text>\n"
        for curve in panel.curves where !curve.points.isEmpty {
            let points = curve.points.map { "\(Self.number(px($0.step))),\(Self.number(py($0.accuracy)))" }
            out += "<polyline fill=\"none\" stroke=\"\(curve.colour)\" stroke-width=\"1.5\""
                + (curve.dashed ? " stroke-dasharray=\"5,3\"" : "")
                + " points=\"\(points.joined(separator: " "))\"><title>\(Self.escape(curve.label))</title></polyline>\n"
        }
        out += "</g>\n"
        return out
    }

    /// Coordinates to one decimal, without a trailing `.0`.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
