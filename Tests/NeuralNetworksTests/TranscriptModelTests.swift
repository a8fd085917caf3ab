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

    /// Random transcripts whose first null sub-question is in round `firstNullRound` (none when it
    /// is `interactionLength`; a random round per transcript when nil), every token it implies `?`.
    static func transcripts(count: Int, layout: TranscriptLayout = layout, seed: UInt64, firstNullRound: Int? = nil) -> [[Int]] {
        var rng = SplitMix64(seed: seed)
        let v = UInt64(layout.vocabularySize)
        return (0..<count).map { _ in
            var tokens = (0..<layout.transcriptLength).map { _ in Int(rng.next() % v) }
            let null = firstNullRound ?? Int(rng.next() % UInt64(layout.interactionLength + 1))
            for round in 0..<layout.interactionLength {
                let start = layout.subquestionStart(round: round) - 1
                if round < null {
                    tokens[start] = 1 + Int(rng.next() % (v - 1))  // not null
                } else {
                    for j in start..<(start + layout.roundLength) { tokens[j] = 0 }
                }
            }
            return tokens
        }
    }

    /// Every parameter's gradient of a projected loss (random weights on every position's
    /// log-likelihood) matches central differences, on a tiny configuration.
    @Test(arguments: [1, 2] as [UInt64])
    func wholeModelGradientMatchesCentralDifferences(seed: UInt64) {
        let model = Self.model(seed: seed, configuration: TranscriptModelConfiguration(modelDimension: 8, headCount: 2, layerCount: 2, feedForwardMultiplier: 2))
        let reading = TranscriptReading(transcripts: Self.transcripts(count: 2, seed: seed), layout: Self.layout)
        var rng = SplitMix64(seed: seed ^ 0xABCD)
        let projection = (0..<(2 * reading.length)).map { _ in rng.nextNormal() }
        let probe = GradientProbe(parameters: model.parameters(), samplesPerTensor: 3, seed: seed, epsilon: 1e-3) {
            (model.logLikelihoods(reading) * Tensor(shape: [2, reading.length], scalars: projection)).sum()
        }
        #expect(probe.passed, "\(probe)")
    }

    /// The loss is ½(mean over sub-question targets + mean over main-answer targets) of the NLL,
    /// the tokens a null sub-question implies counting as certain (NLL 0).
    @Test(arguments: [3, 4] as [UInt64])
    func lossAveragesSubquestionAndAnswerTokensOnly(seed: UInt64) {
        let model = Self.model(seed: seed)
        let transcripts = Self.transcripts(count: 3, seed: seed)
        let layout = Self.layout
        let full = model.logProbabilities(transcripts: transcripts)
        let v = layout.vocabularySize
        var questions: [Float] = [], answers: [Float] = []
        for row in 0..<3 {
            for j in 0..<layout.transcriptLength {
                let value = -full[(row * layout.transcriptLength + j) * v + transcripts[row][j]]
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

    /// The loss reads transcripts in groups of one read length, unpadded: its value and every
    /// parameter's gradient are those of the whole batch read padded to its longest (whose
    /// padding slots weigh 0), up to rounding.
    @Test(arguments: [7, 8] as [UInt64])
    func groupsOfOneReadLengthGiveThePaddedBatchsLossAndGradients(seed: UInt64) {
        let model = Self.model(seed: seed)
        let transcripts = Self.transcripts(count: 9, seed: seed)
        let lengths = Set(transcripts.map { TranscriptReading.readPositions(of: $0, layout: Self.layout).count })
        #expect(lengths.count > 1, "the batch mixes read lengths")
        func lossAndGradients(_ loss: () -> Tensor) -> (value: Float, gradients: [Float]) {
            let parameters = model.parameters().map(\.tensor)
            for parameter in parameters { parameter.zeroGradient() }
            let tape = Tape()
            let value = tape.recording { loss() }
            tape.backward(value)
            return (value.item, parameters.flatMap { $0.gradient ?? Array(repeating: 0, count: $0.count) })
        }
        let grouped = lossAndGradients { model.loss(transcripts: transcripts, averagedOver: 12) }
        let padded = lossAndGradients {
            model.loss(TranscriptReading(transcripts: transcripts, layout: Self.layout), averagedOver: 12)
        }
        #expect(abs(grouped.value - padded.value) <= 1e-5 * max(1, abs(padded.value)), "\(grouped.value) vs \(padded.value)")
        let scale = padded.gradients.map(abs).max() ?? 0
        #expect(scale > 0)
        let worst = zip(grouped.gradients, padded.gradients).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-5 * scale, "largest gradient difference \(worst) of \(scale)")
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

    /// The model reads a transcript up to its first null sub-question, then the position before
    /// the main answer and the answer: the reading's targets, put back at their positions with
    /// `?` elsewhere, are the transcript; the tokens skipped are exactly those after the null
    /// question up to that position.
    @Test(arguments: [0, 1, 2] as [Int])
    func aReadingSkipsExactlyWhatANullSubquestionImplies(firstNullRound: Int) {
        let layout = Self.layout
        let transcripts = Self.transcripts(count: 4, seed: UInt64(firstNullRound), firstNullRound: firstNullRound)
        let reading = TranscriptReading(transcripts: transcripts, layout: layout)
        let end = firstNullRound < layout.interactionLength
            ? layout.subquestionStart(round: firstNullRound) + layout.questionLength - 1 : layout.mainAnswerStart - 1
        let beforeAnswer = firstNullRound < layout.interactionLength ? [layout.mainAnswerStart - 1] : []
        #expect(reading.length == end + 1 + beforeAnswer.count + layout.answerLength - 1)
        for (row, transcript) in transcripts.enumerated() {
            let slots = (row * reading.length)..<((row + 1) * reading.length)
            var rebuilt = [Int](repeating: 0, count: layout.transcriptLength)
            for slot in slots { rebuilt[reading.targetPositions[slot] - 1] = reading.targets[slot] }
            #expect(rebuilt == transcript)
            #expect(Array(reading.positions[slots]) == Array(0...end) + beforeAnswer + Array(layout.mainAnswerStart..<layout.transcriptLength))
            #expect(Array(reading.inputs[slots]) == reading.positions[slots].map { ([0] + transcript)[$0] })
        }
    }

    @Test func tokensAfterANullSubquestionOtherThanPaddingTrap() async {
        await #expect(processExitsWith: .failure) {
            let layout = TranscriptModelTests.layout
            var transcript = TranscriptModelTests.transcripts(count: 1, seed: 1, firstNullRound: 0)[0]
            transcript[layout.subquestionStart(round: 1) - 1] = 1
            _ = TranscriptReading(transcripts: [transcript], layout: layout)
        }
    }
}
