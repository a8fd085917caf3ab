import SeededRandom
import Testing

@testable import NeuralNetworks
@testable import TensorCore

@Suite struct TranscriptModelTests {
    static let layout = TranscriptLayout(vocabularySize: 7, questionLength: 2, answerLength: 1, interactionLength: 2)

    static func model(seed: UInt64, layout: TranscriptLayout = layout, configuration: TranscriptModelConfiguration = .tiny)
        -> TranscriptModel
    {
        var rng = SplitMix64(seed: seed)
        return TranscriptModel(layout: layout, configuration: configuration, rng: &rng)
    }

    static func transcripts(count: Int, layout: TranscriptLayout = layout, seed: UInt64) -> [[Int]] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            (0..<layout.transcriptLength).map { _ in Int(rng.next() % UInt64(layout.vocabularySize)) }
        }
    }

    /// Every parameter's gradient of a projected loss (random weights on every position's
    /// log-likelihood) matches central differences, on a tiny configuration.
    @Test(arguments: [1, 2] as [UInt64])
    func wholeModelGradientMatchesCentralDifferences(seed: UInt64) {
        let model = Self.model(seed: seed, configuration: TranscriptModelConfiguration(modelDimension: 8, headCount: 2, layerCount: 2, feedForwardMultiplier: 2))
        let transcripts = Self.transcripts(count: 2, seed: seed)
        var rng = SplitMix64(seed: seed ^ 0xABCD)
        let projection = (0..<(2 * Self.layout.transcriptLength)).map { _ in rng.nextNormal() }
        let probe = GradientProbe(parameters: model.parameters(), samplesPerTensor: 3, seed: seed, epsilon: 1e-3) {
            (model.logLikelihoods(transcripts: transcripts)
                * Tensor(shape: [2, Self.layout.transcriptLength], scalars: projection)).sum()
        }
        #expect(probe.passed, "\(probe)")
    }

    /// The loss is ½(mean over sub-question targets + mean over main-answer targets) of the NLL.
    @Test(arguments: [3, 4] as [UInt64])
    func lossAveragesSubquestionAndAnswerTokensOnly(seed: UInt64) {
        let model = Self.model(seed: seed)
        let transcripts = Self.transcripts(count: 3, seed: seed)
        let layout = Self.layout
        let likelihoods = Tape.withoutRecording { model.logLikelihoods(transcripts: transcripts).scalars }
        var questions: [Float] = [], answers: [Float] = []
        for row in 0..<3 {
            for j in 0..<layout.transcriptLength {
                let value = -likelihoods[row * layout.transcriptLength + j]
                switch layout.kind(atSequencePosition: j + 1) {
                case .subquestion: questions.append(value)
                case .mainAnswer: answers.append(value)
                default: break
                }
            }
        }
        #expect(questions.count == 3 * 4 && answers.count == 3)
        let expected = 0.5 * (questions.reduce(0, +) / Float(questions.count) + answers.reduce(0, +) / Float(answers.count))
        let loss = Tape.withoutRecording { model.loss(transcripts: transcripts).item }
        #expect(abs(loss - expected) < 1e-4 * max(1, expected))
    }

    @Test func parameterKeysAreUniqueAndStable() {
        let keys = Self.model(seed: 5).parameters().map(\.key)
        #expect(Set(keys).count == keys.count)
        #expect(keys.contains("cells.1.attention.query.weight") && keys.contains("generate.bias") && keys.contains("kinds.weight"))
    }

    @Test func trainingLowersTheLossOnAFixedBatch() {
        let model = Self.model(seed: 6)
        let transcripts = Self.transcripts(count: 8, seed: 6)
        let adam = Adam(parameters: model.parameters().map(\.tensor), configuration: .tiny)
        let tape = Tape()
        let before = Tape.withoutRecording { model.loss(transcripts: transcripts).item }
        for _ in 0..<30 {
            let loss = tape.recording { model.loss(transcripts: transcripts) }
            tape.backward(loss)
            adam.step()
        }
        let after = Tape.withoutRecording { model.loss(transcripts: transcripts).item }
        #expect(after < before * 0.7, "\(before) -> \(after)")
    }

    @Test func transcriptOfTheWrongLengthTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 1)
            let layout = TranscriptLayout(vocabularySize: 7, questionLength: 2, answerLength: 1, interactionLength: 2)
            let model = TranscriptModel(layout: layout, configuration: .tiny, rng: &rng)
            _ = model.loss(transcripts: [[1, 2, 3]])
        }
    }

    @Test func emptyBatchTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 1)
            let layout = TranscriptLayout(vocabularySize: 7, questionLength: 2, answerLength: 1, interactionLength: 2)
            _ = TranscriptModel(layout: layout, configuration: .tiny, rng: &rng).loss(transcripts: [])
        }
    }
}
