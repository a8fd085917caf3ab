import Foundation
@testable import IDACommand
import Store
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct LearningCurvePlotTests {
    @Test func buildsAnOverallPanelAndOnePerDepth() {
        let plot = LearningCurvePlot(title: "t", ia: ReportFixtures.ia, supervised: ReportFixtures.supervised)
        #expect(plot.panels.map(\.title) == ["overall", "depth 0", "depth 1"])
        let overall = plot.panels[0].curves
        #expect(overall.map(\.label) == ["IA: X", "IA: Amp(H, X)", "supervised"])
        #expect(overall[0].points.map(\.step) == [100, 200])
        #expect(overall[0].points.map(\.accuracy) == [0.3, 0.9])
        #expect(overall[1].points.map(\.accuracy) == [0.65, 1.0])
        #expect(overall[2].points.map(\.accuracy) == [0.4, 0.95])
        #expect(plot.panels[2].curves[0].points.map(\.accuracy) == [0.1, 0.8])
    }

    @Test func svgIsWellFormedXMLWithOnePolylinePerCurve() throws {
        let svg = LearningCurvePlot(title: "a < b & c", ia: ReportFixtures.ia, supervised: ReportFixtures.supervised).svg()
        let parser = XMLParser(data: Data(svg.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        #expect(parser.parse(), "\(parser.parserError.map(String.init(describing:)) ?? "")")
        #expect(counter.counts["polyline"] == 9)
        #expect(counter.counts["svg"] == 1)
        #expect(svg.contains("a &lt; b &amp; c"))
    }

    @Test func pointsMapStepsAndAccuraciesIntoThePanel() {
        let curve = LearningCurvePlot.Curve(label: "x", colour: "#000", dashed: false, points: [(0, 0), (10, 1)])
        let svg = LearningCurvePlot(title: "t", panels: [.init(title: "p", curves: [curve])]).svg()
        // The first panel's plot area spans x 44...308 and y 82...240 (30 title + 24 legend + 28 margin).
        #expect(svg.contains("points=\"44,240 308,82\""))
    }

    @Test func emptyRecordsGiveAnEmptyButValidPlot() {
        let svg = LearningCurvePlot(title: "t", ia: [], supervised: []).svg()
        #expect(svg.hasPrefix("<svg"))
        #expect(!svg.contains("<polyline"))
    }
}

/// Counts the elements an XML parser meets.
final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        counts[elementName, default: 0] += 1
    }
}
