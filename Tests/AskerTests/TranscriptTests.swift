import Amplification
import Asker
import NeuralNetworks
import PropertyBased
import Tasks
import Testing

@Suite struct TranscriptTests {
    static let layout = TranscriptLayout(vocabularySize: 9, questionLength: 3, answerLength: 2, interactionLength: 3)

    /// Encoding a workspace keeps the main question, each exchange in its round, null padding
    /// rounds (all-`?` question and answer) after them, and the answer last.
    @Test func encodingPlacesEveryPartAndPadsWithNullRounds() async {
        let layout = Self.layout
        let token = Gen.int(in: 1...8)
        await propertyCheck(
            input: token.array(of: 3), Gen.int(in: 0...3), token.array(of: 24), token.array(of: 2)
        ) { question, rounds, pool, answer in
            let exchanges = (0..<rounds).map { r in
                Exchange(question: Array(pool[(r * 5)..<(r * 5 + 3)]), answer: Array(pool[(r * 5 + 3)..<(r * 5 + 5)]))
            }
            let workspace = Workspace(question: question, exchanges: exchanges, subquestionsLeft: 0)
            guard let transcript = Transcript(workspace: workspace, answer: .tokens(answer), layout: layout) else {
                Issue.record("a fitting workspace must encode")
                return
            }
            #expect(transcript.tokens.count == layout.transcriptLength)
            #expect(Array(transcript.tokens.prefix(3)) == question)
            for round in 0..<layout.interactionLength {
                let expected = round < rounds ? exchanges[round].question.tokens : [0, 0, 0]
                #expect(transcript.subquestion(round: round, layout: layout) == expected)
                let start = layout.subquestionStart(round: round) - 1 + layout.questionLength
                #expect(Array(transcript.tokens[start..<(start + 2)]) == (round < rounds ? exchanges[round].answer.tokens : [0, 0]))
            }
            #expect(transcript.answer(layout: layout) == answer)
            #expect(transcript.actionCount(layout: layout) == rounds + 1)
            let prefix = Transcript.sequencePrefix(of: workspace, layout: layout, answering: false)
            #expect(prefix == [0] + Array(transcript.tokens.prefix(3 + 5 * rounds)))
        }
    }

    @Test func workspacesThatDoNotFitAreRejected() {
        let layout = Self.layout
        let exchange = Exchange(question: [1, 2, 3], answer: [4, 5])
        let tooMany = Workspace(question: [1, 2, 3], exchanges: Array(repeating: exchange, count: 4), subquestionsLeft: 0)
        #expect(Transcript(workspace: tooMany, answer: [1, 2], layout: layout) == nil)
        let short = Workspace(question: [1, 2], exchanges: [], subquestionsLeft: 0)
        #expect(Transcript(workspace: short, answer: [1, 2], layout: layout) == nil)
        let fits = Workspace(question: [1, 2, 3], exchanges: [exchange], subquestionsLeft: 0)
        #expect(Transcript(workspace: fits, answer: [1], layout: layout) == nil)
        #expect(Transcript(workspace: fits, answer: [1, 2], layout: layout) != nil)
    }

    @Test func layoutFromATaskUsesItsSizes() {
        let task = PermutationPowering(.tiny)
        let layout = TranscriptLayout(task: task)
        #expect(layout.vocabularySize == task.vocabulary.count && layout.questionLength == task.questionLength)
        #expect(layout.answerLength == task.answerLength && layout.interactionLength == task.interactionLength)
    }

    @Test func tokensOfTheWrongLengthTrap() async {
        await #expect(processExitsWith: .failure) {
            let layout = TranscriptLayout(vocabularySize: 9, questionLength: 3, answerLength: 2, interactionLength: 3)
            _ = Transcript(tokens: [1, 2], layout: layout)
        }
    }
}
