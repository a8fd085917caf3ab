@testable import Application
@testable import IDACommand
import Testing

@Suite struct ReportTableTests {
    @Test func rendersTheWholeReportOfOneTask() {
        let expected = """
            permutation · preset small · schedule continuous · supervisor scripted · seed 7 · run r-20261129-1a2b

            accuracy (held-out, full size)  overall  depth 0  depth 1  depth 2
            IA: X                             97.1%   100.0%    96.5%    90.0%
            IA: Amp(H, X)                     99.0%   100.0%    99.0%    97.5%
            supervised                        98.0%   100.0%    97.0%    96.0%

            cost        supervisor actions  expert calls  leaf lookups  ground-truth labels  steps  examples  wall time
            IA                      123456        123456         23456                    0   3000     96000      1m35s
            supervised                   -             -             -                48000   3000     96000      1m02s
            total wall time 1m37s

            """
        #expect(ReportTable.render(ReportFixtures.report) == expected)
    }

    @Test func aLearnedRunShowsItsExpertCallsAndHPrimesAccuracy() {
        let text = ReportTable.render(ReportFixtures.learnedReport)
        #expect(text.hasPrefix("permutation · preset small · schedule continuous · supervisor learned · seed 7"))
        #expect(text.contains("\nIA                      123456          1056         23456                    0   3000"))
        #expect(
            text.contains(
                "\nH′ (learned supervisor): held-out action accuracy sub-questions 100.0%, answers 98.8% · 325 demonstrations"
                    + " · 390 steps (2610 paused) · final rate 0.01 per X step\n"))
        #expect(!ReportTable.render(ReportFixtures.report).contains("H′"))
    }

    @Test func appendsTheFrontierOfEachRound() {
        var report = ReportFixtures.report
        report.frontier = [0, 1, 3]
        #expect(ReportTable.render(report).hasSuffix("\ncapability frontier by round: 0, 1, 3\n"))
    }

    @Test func summarisesEveryTaskInOneRowEach() {
        var second = ReportFixtures.report
        second.task = "wildcard"
        second.ia.accuracy = 0.5
        let all = MultiTaskReport(
            preset: "small", schedule: "continuous", seed: 7, run: "r-x", reports: [ReportFixtures.report, second],
            wallSeconds: 4000)
        let expected = """
            all tasks · preset small · schedule continuous · supervisor scripted · seed 7 · run r-x

            task         IA: X  IA: Amp(H, X)  supervised  IA - supervised  IA expert calls  IA labels  supervised labels  IA wall  supervised wall
            permutation  97.1%          99.0%       98.0%         -0.9 pts           123456          0              48000    1m35s            1m02s
            wildcard     50.0%          99.0%       98.0%        -48.0 pts           123456          0              48000    1m35s            1m02s

            total wall time 1h06m

            """
        #expect(ReportTable.summary(all) == expected)
    }

    @Test(arguments: [(0.0, "0.0s"), (59.94, "59.9s"), (60, "1m00s"), (3599, "59m59s"), (3600, "1h00m"), (Double.nan, "-")])
    func formatsDurations(seconds: Double, text: String) {
        #expect(ReportTable.duration(seconds) == text)
    }

    @Test func missingDepthsShowADash() {
        var report = ReportFixtures.report
        report.supervised.accuracyByDepth = ["0": 1]
        let rows = ReportTable.accuracyTable(report)
        #expect(rows[3].hasSuffix("-        -"))
    }
}
