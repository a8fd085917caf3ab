@testable import Application
import Foundation
import IDATestSupport
@testable import IDACommand
import Store
import Testing

@Suite struct ReportCommandTests {
    @Test func loadsTheStoredReportFromTheGroupOrAChild() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = try StoredRunFixture.make(at: directory.database)
        let store = try SQLiteStore(path: directory.database)
        var expected = ReportFixtures.report
        expected.run = fixture.completed.id
        for id in [fixture.completed.id, fixture.completedIA.id] {
            let loaded = try TrainingJob.report(of: id, in: store)
            #expect(loaded.group.id == fixture.completed.id)
            #expect(loaded.reports == [expected])
        }
    }

    @Test func theBinaryPrintsTheWholeTableAndRedrawsTheCurves() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = try StoredRunFixture.make(at: directory.database)
        let outcome = try await IDAProcess.run(
            ["report", fixture.completed.id, "--db", directory.database, "--output", directory.url.path], in: directory.url)
        var report = ReportFixtures.report
        report.run = fixture.completed.id
        let svg = directory.url.appendingPathComponent("ida-\(fixture.completed.id)-permutation.svg").path
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput == ReportTable.render(report) + "learning curves: \(svg)\n")
        let drawn = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(drawn.components(separatedBy: "<polyline").count - 1 == 9)
    }

    @Test func jsonIsTheStoredReport() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = try StoredRunFixture.make(at: directory.database)
        let outcome = try await IDAProcess.run(
            ["report", fixture.completed.id, "--json", "--db", directory.database, "--output", directory.url.path],
            in: directory.url)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        var report = ReportFixtures.report
        report.run = fixture.completed.id
        #expect(try JSONDecoder().decode(RunReport.self, from: Data(outcome.standardOutput.utf8)) == report)
    }
}
