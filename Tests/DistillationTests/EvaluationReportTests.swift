import Distillation
import Testing

@Suite struct EvaluationReportTests {
    static func report(_ accuracies: [(depth: Int, correct: Int)], of count: Int = 10) -> EvaluationReport {
        EvaluationReport(
            step: 1, instanceSize: 8,
            depths: accuracies.map {
                DepthAccuracy(
                    depth: $0.depth, questionCount: count, modelSampledCorrect: $0.correct, modelGreedyCorrect: $0.correct,
                    amplifiedCorrect: min(count, $0.correct + 1))
            })
    }

    @Test func frontierIsTheLastDepthOfAnUnbrokenRunAtNinetyPercent() {
        #expect(Self.report([(0, 10), (1, 9), (2, 8), (3, 10)]).frontier() == 1)
        #expect(Self.report([(0, 8), (1, 10)]).frontier() == -1)
        #expect(Self.report([(0, 10), (1, 10), (2, 10)]).frontier() == 2)
        #expect(Self.report([(0, 9), (2, 9)]).frontier() == 2, "a depth with no questions does not break the chain")
    }

    @Test func amplifiedFrontierUsesAmplifiedAccuracy() {
        let report = Self.report([(0, 10), (1, 8), (2, 7)])  // amplified: 10, 9, 8 of 10
        #expect(report.frontier() == 0)
        #expect(report.amplifiedFrontier() == 1)
    }

    @Test(arguments: [1, 7, 10])
    func overallAccuracyWeighsDepthsByQuestionCount(correct: Int) {
        let report = EvaluationReport(
            step: 0, instanceSize: 4,
            depths: [
                DepthAccuracy(depth: 0, questionCount: 10, modelSampledCorrect: correct, modelGreedyCorrect: 10, amplifiedCorrect: nil),
                DepthAccuracy(depth: 1, questionCount: 30, modelSampledCorrect: 0, modelGreedyCorrect: 0, amplifiedCorrect: nil),
            ])
        #expect(report.questionCount == 40)
        #expect(report.modelAccuracy == Double(correct) / 40)
        #expect(report.modelGreedyAccuracy == 0.25)
        #expect(report.amplifiedAccuracy == nil)
        #expect(report.amplifiedFrontier() == nil)
    }
}
