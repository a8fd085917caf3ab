@testable import Application
import Amplification
import Distillation
@testable import IDACommand
import Synchronization
import Testing

@Suite struct ProgressBoardTests {
    /// Collects what the board writes.
    final class Sink: Sendable {
        let text = Mutex("")
        func write(_ string: String) { text.withLock { $0 += string } }
    }

    static let evaluation = EvaluationReport(
        step: 10, instanceSize: 6,
        depths: [DepthAccuracy(depth: 0, questionCount: 4, modelSampledCorrect: 3, modelGreedyCorrect: 3, amplifiedCorrect: 4)])

    @Test func evaluationsAreWrittenAtOnceWithBothSides() async {
        let sink = Sink()
        let board = ProgressBoard(isTerminal: false, width: nil) { sink.write($0) }
        await board.begin(task: "permutation", sides: [
            SideProgress(label: "IA", totalSteps: 20), SideProgress(label: "supervised", totalSteps: 20),
        ])
        await board.update("IA", .step(StepMetrics(step: 10, totalSteps: 20, loss: 1, examples: 40, curriculumSize: 5)))
        await board.update("IA", .evaluation(Self.evaluation))
        let lines = sink.text.withLock { $0 }.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.last?.hasPrefix("permutation  IA 10/20 ") == true)
        #expect(lines.last?.contains("X 75.0% Amp 100.0% size 5 | supervised 0/20") == true)
    }

    /// A generation's expert-call total shows on the IA side only.
    @Test func generationsUpdateIAsExpertCalls() async {
        let sink = Sink()
        let board = ProgressBoard(isTerminal: false, width: nil) { sink.write($0) }
        await board.begin(task: "wildcard", sides: [
            SideProgress(label: "IA", totalSteps: 20), SideProgress(label: "supervised", totalSteps: 20),
        ])
        for label in ["IA", "supervised"] {
            await board.update(
                label,
                .generation(
                    GenerationMetrics(
                        step: 0, instanceCount: 1, questionCount: 4, instanceSize: 5, agreement: 0, averageAgreement: 0,
                        nextSize: 5, counters: AmplificationCounters(), expertCalls: 42)))
        }
        await board.finish("IA")
        let last = sink.text.withLock { $0 }.split(separator: "\n").last ?? ""
        #expect(last == "wildcard  IA 0/20 done expert 42 | supervised 0/20 - steps/s ETA -", "\(last)")
    }

    @Test func roundEndsAndNotesGetLinesOfTheirOwn() async {
        let sink = Sink()
        let board = ProgressBoard(isTerminal: false, width: nil) { sink.write($0) }
        await board.begin(task: "wildcard", sides: [SideProgress(label: "IA", totalSteps: 20)])
        await board.note("seed 5")
        await board.update(
            "IA", .roundEnd(RoundReport(round: 2, step: 20, evaluation: Self.evaluation, frontier: 0, amplifiedFrontier: 1)))
        let text = sink.text.withLock { $0 }
        #expect(text.hasPrefix("seed 5\nwildcard IA round 2: capability frontier X depth 0, Amp(H, X) depth 1\n"))
    }

    @Test func finishedSidesSayDone() async {
        let sink = Sink()
        let board = ProgressBoard(isTerminal: true, width: nil) { sink.write($0) }
        await board.begin(task: "t", sides: [SideProgress(label: "supervised", totalSteps: 5)])
        await board.finish("supervised")
        await board.end()
        #expect(sink.text.withLock { $0 } == "\r\u{1B}[2Kt  supervised 0/5 done\n")
    }
}
