import Amplification
import Asker
import NeuralNetworks
import Tasks
import Testing

@Suite struct DemonstrationBatchTests {
    /// One transcript per instance; the expert calls are the actions the transcripts record; the
    /// expert replayed on each transcript's prefixes reproduces it.
    @Test(arguments: [1, 2] as [UInt64])
    func transcriptsRecordTheExpertsActions(seed: UInt64) async throws {
        let batch = try await Fixtures.demonstrations(count: 20, seed: seed)
        let layout = Fixtures.layout
        #expect(batch.transcripts.count == 20 && batch.discarded == 0)
        #expect(batch.expertCalls == batch.transcripts.reduce(0) { $0 + $1.actionCount(layout: layout) })
        let expert = ScriptedExpert(task: Fixtures.task)
        for transcript in batch.transcripts {
            let question = Array(transcript.tokens.prefix(layout.questionLength))
            var exchanges: [Exchange] = []
            for round in 0..<layout.interactionLength {
                let asked = transcript.subquestion(round: round, layout: layout)
                guard asked.contains(where: { $0 != 0 }) else { break }
                #expect(expert.action(on: Workspace(question: question, exchanges: exchanges, subquestionsLeft: 9)) == .ask(.tokens(asked)))
                let start = layout.subquestionStart(round: round) - 1 + layout.questionLength
                exchanges.append(Exchange(question: asked, answer: Array(transcript.tokens[start..<(start + layout.answerLength)])))
            }
            #expect(
                expert.action(on: Workspace(question: question, exchanges: exchanges, subquestionsLeft: 9))
                    == .answer(.tokens(transcript.answer(layout: layout))))
        }
    }

    @Test func sameSeedSameDemonstrations() async throws {
        let first = try await Fixtures.demonstrations(count: 10, seed: 5)
        let second = try await Fixtures.demonstrations(count: 10, seed: 5)
        #expect(first.transcripts == second.transcripts && first.expertCalls == second.expertCalls)
    }
}
