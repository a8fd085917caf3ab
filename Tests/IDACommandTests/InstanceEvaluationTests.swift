import Application
@testable import IDACommand
import Testing

@Suite struct InstanceEvaluationTests {
    static func evaluation() -> InstanceEvaluation {
        var result = InstanceEvaluation(decoding: "greedy", amplified: false)
        result.answers = [
            .init(line: 1, question: ["a", "1"], answer: ["b"], expected: ["b"], correct: true, depth: 0),
            .init(line: 1, question: ["b", "2"], answer: ["c"], expected: ["d"], correct: false, depth: 1),
            .init(line: 2, question: ["c", "1"], answer: ["a"], expected: ["a"], correct: true, depth: 1),
        ]
        result.score()
        return result
    }

    @Test func scoresOverallAndByDepth() {
        let result = Self.evaluation()
        #expect(result.scored == 3)
        #expect(result.correct == 2)
        #expect(result.accuracy == 2.0 / 3)
        #expect(result.accuracyByDepth == ["0": 1, "1": 0.5])
    }

    @Test func textListsEveryAnswerThenTheScore() {
        #expect(
            Self.evaluation().text(model: "run r-1", file: "f.jsonl") == """
                f.jsonl: 3 questions, answered by X (greedy decoding) of run r-1
                line 1, depth 0: a 1 -> b  (correct)
                line 1, depth 1: b 2 -> c  (expected d)
                line 2, depth 1: c 1 -> a  (correct)
                accuracy 66.7% (2/3); depth 0 100.0%, depth 1 50.0%

                """)
    }

    @Test func withoutAnswersNothingIsScored() {
        var result = InstanceEvaluation(decoding: "sampled", amplified: true)
        result.answers = [.init(line: 1, question: ["a"], answer: ["b"], expected: nil, correct: nil, depth: 0)]
        result.score()
        #expect(result.accuracy == nil)
        #expect(result.text(model: "m", file: "f").hasSuffix("no answers in the file: nothing to score\n"))
        #expect(result.text(model: "m", file: "f").hasPrefix("f: 1 questions, answered by Amp(H, X) (sampled decoding) of m\n"))
    }
}
