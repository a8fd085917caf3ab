import Testing

@testable import Store

@Suite struct EvaluationRecordTests {
    @Test(arguments: [(10, 4, 0.4), (3, 3, 1.0), (7, 0, 0.0), (0, 0, 0.0)])
    func accuracyIsCorrectOverCountAndZeroWhenNothingWasAsked(
        count: Int, correct: Int, expected: Double
    ) {
        let record = EvaluationRecord(step: 0, model: .x, depth: 1, count: count, correct: correct)
        #expect(record.accuracy == expected)
    }
}
