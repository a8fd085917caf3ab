import Amplification
import Application
import Testing

@Suite struct QuestionFileTests {
    @Test func questionsFactsAndAnswersAreRead() throws {
        let text = """
            {"question": "When is the meeting?", "facts": ["The meeting is the day after the launch.", "The launch is on Monday."], "answer": "Tuesday"}

            {"version": 1, "question": "What is 2 + 2?"}
            """
        #expect(
            try QuestionFile.parse(text) == [
                TextFacts(
                    question: "When is the meeting?",
                    facts: ["The meeting is the day after the launch.", "The launch is on Monday."], referenceAnswer: "Tuesday"),
                TextFacts(question: "What is 2 + 2?", facts: []),
            ])
    }

    @Test(arguments: [
        (#"{"question": "a"}"# + "\nnot json", "line 2: not a JSON object"),
        (#"{"question": "a", "fact": ["x"]}"#, #"line 1: unknown key "fact" (the keys are question, facts, answer, version)"#),
        (#"{"facts": ["x"]}"#, #"line 1: "question" must be given, as a string"#),
        (#"{"question": "  "}"#, "line 1: the question is empty"),
        (#"{"question": "a", "facts": "x"}"#, #"line 1: "facts" must be a list of strings"#),
        (#"{"question": "a", "facts": [1]}"#, #"line 1: "facts" must be a list of strings"#),
        (#"{"question": "a", "answer": 4}"#, #"line 1: "answer" must be a string"#),
        ("\n\n" + #"{"version": 2, "question": "a"}"#, "line 3: version 2 is newer than this ida reads (1)"),
        (#"{"version": "1", "question": "a"}"#, "line 1: version must be a positive whole number"),
        ("\n  \n", "the question file has no question"),
    ])
    func badLinesAreNamed(text: String, message: String) {
        #expect {
            try QuestionFile.parse(text)
        } throws: { error in
            "\(error)" == message
        }
    }

    @Test func textAnswersMatchIgnoringCaseBlanksAndAFinalStop() {
        #expect(textAnswersMatch(" Tuesday. ", "tuesday"))
        #expect(textAnswersMatch("TUESDAY", "Tuesday."))
        #expect(!textAnswersMatch("Tuesday morning", "Tuesday"))
        #expect(!textAnswersMatch("", "Tuesday"))
    }
}
