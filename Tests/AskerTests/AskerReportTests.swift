import Asker
import Foundation
import Testing

@Suite struct AskerReportTests {
    @Test(arguments: [nil, 0.02] as [Double?])
    func jsonRoundTrips(loss: Double?) throws {
        let accuracy = ActionAccuracy(subquestionTokens: 1, answerTokens: 0.9, subquestions: 1, answers: 0.8, transcriptCount: 10)
        let report = AskerReport(
            heldOutAccuracy: loss == nil ? nil : accuracy, latestAccuracy: accuracy, demonstrations: 300, expertCalls: 900,
            steps: 400, pausedSteps: 20, rate: 0.1, freshLossAverage: loss)
        #expect(try JSONDecoder().decode(AskerReport.self, from: JSONEncoder().encode(report)) == report)
    }
}
