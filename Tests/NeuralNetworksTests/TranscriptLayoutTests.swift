import Testing

@testable import NeuralNetworks

@Suite struct TranscriptLayoutTests {
    @Test(arguments: [(4, 1, 3), (2, 2, 0), (3, 2, 9)] as [(Int, Int, Int)])
    func kindsCountEachPartOfTheTranscript(lengths: (Int, Int, Int)) {
        let (q, a, rounds) = lengths
        let layout = TranscriptLayout(vocabularySize: 9, questionLength: q, answerLength: a, interactionLength: rounds)
        #expect(layout.transcriptLength == (rounds + 1) * (q + a))
        let kinds = (0...layout.transcriptLength).map { layout.kind(atSequencePosition: $0) }
        #expect(kinds.filter { $0 == .mainQuestion }.count == q + 1)  // with the start token
        #expect(kinds.filter { $0 == .subquestion }.count == rounds * q)
        #expect(kinds.filter { $0 == .subanswer }.count == rounds * a)
        #expect(kinds.filter { $0 == .mainAnswer }.count == a)
        for round in 0..<rounds {
            #expect(layout.kind(atSequencePosition: layout.subquestionStart(round: round)) == .subquestion)
            #expect(layout.kind(atSequencePosition: layout.subquestionStart(round: round) + q) == .subanswer)
        }
        #expect(layout.kind(atSequencePosition: layout.mainAnswerStart) == .mainAnswer)
        #expect(layout.kind(atSequencePosition: layout.mainAnswerStart - 1) == (rounds == 0 ? .mainQuestion : .subanswer))
    }

    @Test func emptyQuestionsTrap() async {
        await #expect(processExitsWith: .failure) {
            TranscriptLayout(vocabularySize: 9, questionLength: 0, answerLength: 1, interactionLength: 1).validate()
        }
    }
}
