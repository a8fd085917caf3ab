@testable import Application
@testable import IDACommand
import Testing

@Suite struct ProgressLineTests {
    static func sides() -> [SideProgress] {
        var ia = SideProgress(label: "IA", step: 1200, totalSteps: 3000, elapsed: 24)
        ia.accuracy = 0.71
        ia.ampAccuracy = 0.88
        ia.curriculumSize = 9
        var supervised = SideProgress(label: "supervised", step: 1300, totalSteps: 3000, elapsed: 26)
        supervised.accuracy = 0.75
        return [ia, supervised]
    }

    @Test func formatsStepRateETAAndAccuracies() {
        #expect(
            ProgressLine.format(task: "permutation", sides: Self.sides())
                == "permutation  IA 1200/3000 50.0 steps/s ETA 0:36 X 71.0% Amp 88.0% size 9"
                + " | supervised 1300/3000 50.0 steps/s ETA 0:34 75.0%")
    }

    @Test func iaShowsTheExpertCallsSoFar() {
        var side = Self.sides()[0]
        side.expertCalls = 1056
        #expect(ProgressLine.format(side) == "IA 1200/3000 50.0 steps/s ETA 0:36 X 71.0% Amp 88.0% size 9 expert 1056")
    }

    @Test func rateCountsOnlyStepsSinceTheResume() {
        let side = SideProgress(label: "IA", step: 1500, totalSteps: 2000, startStep: 1000, elapsed: 10)
        #expect(side.rate == 50)
        #expect(side.remainingSeconds == 10)
        #expect(SideProgress(label: "IA", step: 1000, totalSteps: 2000, startStep: 1000, elapsed: 10).rate == nil)
    }

    @Test func aFinishedSideSaysDone() {
        var side = SideProgress(label: "supervised", step: 3000, totalSteps: 3000, elapsed: 60)
        side.finished = true
        #expect(ProgressLine.format(side) == "supervised 3000/3000 done")
    }

    @Test func terminalRewritesOneLineInPlace() throws {
        var line = ProgressLine(isTerminal: true)
        let update = line.update(task: "t", sides: Self.sides(), now: 0)
        let first = try #require(update)
        #expect(first.hasPrefix("\r\u{1B}[2K"))
        #expect(!first.hasSuffix("\n"))
        #expect(line.update(task: "t", sides: Self.sides(), now: 0.05) == nil)
        #expect(line.update(task: "t", sides: Self.sides(), now: 0.2) != nil)
        #expect(line.finish() == "\n")
    }

    @Test func logGetsPlainLinesEveryFewSecondsOrWhenForced() throws {
        var line = ProgressLine(isTerminal: false)
        let update = line.update(task: "t", sides: Self.sides(), now: 0)
        let first = try #require(update)
        #expect(!first.contains("\u{1B}"))
        #expect(first.hasSuffix("\n"))
        #expect(line.update(task: "t", sides: Self.sides(), now: 5) == nil)
        #expect(line.update(task: "t", sides: Self.sides(), now: 5, force: true) != nil)
        #expect(line.update(task: "t", sides: Self.sides(), now: 16) != nil)
        #expect(line.finish() == "")
    }

    @Test func theLiveLineIsCutToTheTerminalWidth() throws {
        var line = ProgressLine(isTerminal: true, width: 40)
        let update = line.update(task: "permutation", sides: Self.sides(), now: 0)
        let text = try #require(update)
        #expect(text == "\r\u{1B}[2K" + "permutation  IA 1200/3000 50.0 steps/s…")
        var log = ProgressLine(isTerminal: false, width: 40)
        let plain = log.update(task: "permutation", sides: Self.sides(), now: 0)
        #expect((plain?.count ?? 0) > 40)
    }

    @Test(arguments: [(0.0, "0:00"), (97, "1:37"), (3725, "1:02:05"), (Double.infinity, "-")])
    func formatsClockTimes(seconds: Double, text: String) {
        #expect(ProgressLine.clock(seconds) == text)
    }
}
