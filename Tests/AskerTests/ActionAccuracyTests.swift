import Asker
import NeuralNetworks
import SeededRandom
import Testing

@Suite struct ActionAccuracyTests {
    /// A transcript the model itself writes greedily, each token at the position it reads it
    /// (the tokens a null sub-question implies left `?`): teacher forcing then predicts every token.
    static func selfWritten(model: TranscriptModel, seed: UInt64) -> Transcript {
        let layout = model.layout
        var rng = SplitMix64(seed: seed)
        let question = (0..<layout.questionLength).map { _ in 1 + Int(rng.next() % UInt64(layout.vocabularySize - 1)) }
        var tokens = question + Array(repeating: 0, count: layout.transcriptLength - layout.questionLength)
        let decoder = TranscriptDecoder(model: model, prefixes: [[0] + question])
        while true {
            let token = decoder.greedyTokens()[0]
            tokens[decoder.nextPositions[0] - 1] = token
            guard decoder.nextPositions[0] < layout.transcriptLength else { break }
            decoder.append([token])
        }
        return Transcript(tokens: tokens, layout: layout)
    }

    @Test(arguments: [1, 2] as [UInt64])
    func theModelsOwnGreedyTranscriptsScoreOne(seed: UInt64) {
        let model = Fixtures.model(seed: seed)
        let transcripts = (0..<4).map { Self.selfWritten(model: model, seed: seed * 10 + UInt64($0)) }
        let accuracy = ActionAccuracy.measure(model: model, on: transcripts)
        #expect(accuracy == ActionAccuracy(subquestionTokens: 1, answerTokens: 1, subquestions: 1, answers: 1, transcriptCount: 4))
    }

    /// Changing one sub-question token and the answer makes exactly those predictions wrong. The
    /// untrained model of these seeds asks in every round, so the changed token is the last
    /// sub-question token read before the answer (a change in an earlier round would also move the
    /// predictions after it).
    @Test(arguments: [3, 4] as [UInt64])
    func alteredTokensCountAsErrors(seed: UInt64) throws {
        let model = Fixtures.model(seed: seed)
        let layout = model.layout
        var transcript = Self.selfWritten(model: model, seed: seed)
        let rounds = layout.interactionLength
        try #require((0..<rounds).allSatisfy { round in transcript.subquestion(round: round, layout: layout).contains { $0 != 0 } })
        let last = layout.subquestionStart(round: rounds - 1) - 1 + layout.questionLength - 1
        // Another token, not `?`: the round stays asked.
        transcript.tokens[last] = transcript.tokens[last] % (layout.vocabularySize - 1) + 1
        let end = layout.transcriptLength - 1
        transcript.tokens[end] = (transcript.tokens[end] + 1) % layout.vocabularySize
        let accuracy = ActionAccuracy.measure(model: model, on: [transcript])
        #expect(accuracy.subquestions == Double(rounds - 1) / Double(rounds))
        #expect(accuracy.subquestionTokens == 1 - 1 / Double(rounds * layout.questionLength))
        #expect(accuracy.answers == 0 && accuracy.answerTokens < 1)
    }

    @Test func noTranscriptsTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = ActionAccuracy.measure(model: Fixtures.model(seed: 1), on: [])
        }
    }
}
