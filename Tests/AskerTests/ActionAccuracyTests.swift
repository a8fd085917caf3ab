import Asker
import NeuralNetworks
import SeededRandom
import Testing

@Suite struct ActionAccuracyTests {
    /// A transcript the model itself writes greedily: teacher forcing then predicts every token.
    static func selfWritten(model: TranscriptModel, seed: UInt64) -> Transcript {
        let layout = model.layout
        var rng = SplitMix64(seed: seed)
        let question = (0..<layout.questionLength).map { _ in 1 + Int(rng.next() % UInt64(layout.vocabularySize - 1)) }
        let rest = model.greedyDecode(prefixes: [[0] + question], count: layout.transcriptLength - layout.questionLength)[0]
        return Transcript(tokens: question + rest, layout: layout)
    }

    @Test(arguments: [1, 2] as [UInt64])
    func theModelsOwnGreedyTranscriptsScoreOne(seed: UInt64) {
        let model = Fixtures.model(seed: seed)
        let transcripts = (0..<4).map { Self.selfWritten(model: model, seed: seed * 10 + UInt64($0)) }
        let accuracy = ActionAccuracy.measure(model: model, on: transcripts)
        #expect(accuracy == ActionAccuracy(subquestionTokens: 1, answerTokens: 1, subquestions: 1, answers: 1, transcriptCount: 4))
    }

    /// Changing one sub-question token and the answer makes exactly those predictions wrong.
    @Test(arguments: [3, 4] as [UInt64])
    func alteredTokensCountAsErrors(seed: UInt64) {
        let model = Fixtures.model(seed: seed)
        let layout = model.layout
        var transcript = Self.selfWritten(model: model, seed: seed)
        let last = layout.subquestionStart(round: layout.interactionLength - 1) - 1 + layout.questionLength - 1
        transcript.tokens[last] = (transcript.tokens[last] + 1) % layout.vocabularySize
        let end = layout.transcriptLength - 1
        transcript.tokens[end] = (transcript.tokens[end] + 1) % layout.vocabularySize
        let accuracy = ActionAccuracy.measure(model: model, on: [transcript])
        let rounds = Double(layout.interactionLength)
        #expect(accuracy.subquestions == (rounds - 1) / rounds)
        #expect(accuracy.subquestionTokens == 1 - 1 / (rounds * Double(layout.questionLength)))
        #expect(accuracy.answers == 0 && accuracy.answerTokens < 1)
    }

    @Test func noTranscriptsTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = ActionAccuracy.measure(model: Fixtures.model(seed: 1), on: [])
        }
    }
}
