import SeededRandom
import Testing
import TensorCore

@testable import NeuralNetworks

@Suite struct AnswererTests {
    static func model(seed: UInt64, configuration: AnswererConfiguration = .tiny) -> Answerer {
        var rng = SplitMix64(seed: seed)
        return Answerer(configuration: configuration, dimensions: ToyLookup.dimensions, rng: &rng)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func wholeAnswererGradientMatchesCentralDifferences(seed: UInt64) {
        let model = Self.model(seed: seed, configuration: AnswererConfiguration(
            modelDimension: 8, tokenEmbeddingDimension: 4, headCount: 2, factLayerCount: 1, questionLayerCount: 1))
        var batch = ToyLookup.batch(instanceCount: 2, factCount: 3, seed: seed)
        batch.facts[batch.facts.count - 2] = 0  // one padding fact
        batch.facts[batch.facts.count - 1] = 0
        var rng = SplitMix64(seed: seed ^ 0xABCD)
        let projection = (0..<(2 * 3)).map { _ in rng.nextNormal() }
        let probe = GradientProbe(parameters: model.parameters(), samplesPerTensor: 4, seed: seed, epsilon: 1e-3) {
            // Project the per-question log-likelihoods on random weights (never a plain sum).
            (model.logLikelihoods(batch) * Tensor(shape: [2, 3], scalars: projection)).sum()
        }
        #expect(probe.passed, "\(probe)")
    }

    @Test func initialLossIsPositive() {
        let model = Self.model(seed: 7)
        let batch = ToyLookup.batch(instanceCount: 4, factCount: 8, seed: 11)
        let loss = Tape.withoutRecording { model.loss(batch).item }
        // Two tokens from 17 by a random model: about 2·log 17 ≈ 5.7 nats.
        #expect(loss > 1 && loss < 20, "loss \(loss)")
    }

    @Test func tinyAnswererOverfitsThirtyTwoExamples() {
        let model = Self.model(seed: 7)
        let batch = ToyLookup.batch(instanceCount: 4, factCount: 8, seed: 11)  // 32 questions
        let adam = Adam(parameters: model.parameters().map(\.tensor), configuration: AdamConfiguration(learningRate: 1e-2))
        let tape = Tape()
        var loss: Float = .infinity
        for _ in 0..<300 {
            let value = tape.recording { model.loss(batch) }
            tape.backward(value)
            adam.step()
            loss = value.item
            if loss < 0.05 { break }
        }
        #expect(loss < 0.05)
        var rng = SplitMix64(seed: 0)
        #expect(model.decode(batch, mode: .greedy, rng: &rng) == batch.targets)
    }

    @Test(arguments: [3, 4] as [UInt64])
    func sameSeedGivesTheSameLossTwice(seed: UInt64) {
        func run() -> [Float] {
            let model = Self.model(seed: seed)
            let batch = ToyLookup.batch(instanceCount: 2, factCount: 4, seed: seed)
            let adam = Adam(parameters: model.parameters().map(\.tensor))
            let tape = Tape()
            return (0..<3).map { _ in
                let value = tape.recording { model.loss(batch) }
                tape.backward(value)
                adam.step()
                return value.item
            }
        }
        #expect(run() == run())
    }

    @Test func paddingQuestionsDoNotChangeTheLoss() {
        let model = Self.model(seed: 5)
        let batch = ToyLookup.batch(instanceCount: 2, factCount: 4, seed: 5)
        // Each instance gets a fifth, all-zero question with a target it cannot know.
        let padded = AnswererBatch(
            instanceCount: 2, factCount: 4, questionCount: 5,
            facts: batch.facts,
            questions: Array(batch.questions[0..<4]) + [0] + Array(batch.questions[4..<8]) + [0],
            targets: Array(batch.targets[0..<8]) + [3, 3] + Array(batch.targets[8..<16]) + [3, 3])
        let plain = Tape.withoutRecording { model.loss(batch).item }
        let masked = Tape.withoutRecording { model.loss(padded).item }
        #expect(abs(plain - masked) < 1e-5 * max(1, abs(plain)))
    }

    @Test func paddingFactsAreNeverAttendedOrCopied() {
        let model = Self.model(seed: 6)
        let batch = ToyLookup.batch(instanceCount: 1, factCount: 3, seed: 6)
        let extra = AnswererBatch(
            instanceCount: 1, factCount: 4, questionCount: 3,
            facts: batch.facts + [0, 0], questions: batch.questions, targets: batch.targets)
        let plain = Tape.withoutRecording { model.logLikelihoods(batch).scalars }
        let padded = Tape.withoutRecording { model.logLikelihoods(extra).scalars }
        for (a, b) in zip(plain, padded) { #expect(abs(a - b) < 1e-4) }
    }

    @Test func parameterKeysAreStableAndUnique() {
        let model = Self.model(seed: 1, configuration: .small)
        let keys = model.parameters().map(\.key)
        #expect(Set(keys).count == keys.count)
        #expect(keys.contains("facts.cells.0.attention.query.weight"))
        #expect(keys.contains("facts.cells.1.feedForward.down.bias"))
        #expect(keys.contains("questions.cells.0.attentionNorm.weight"))
        #expect(keys.contains("answer.1.previous.embedding.weight"))
        #expect(keys.first == "facts.encoder.embedding.weight")
    }

    @Test func malformedBatchTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 1)
            let model = Answerer(configuration: .tiny, dimensions: ToyLookup.dimensions, rng: &rng)
            _ = model.loss(AnswererBatch(instanceCount: 1, factCount: 2, questionCount: 1, facts: [1, 9, 2], questions: [1], targets: [9, 1]))
        }
    }

    @Test func outOfRangeTokenTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 1)
            let model = Answerer(configuration: .tiny, dimensions: ToyLookup.dimensions, rng: &rng)
            _ = model.loss(AnswererBatch(instanceCount: 1, factCount: 1, questionCount: 1, facts: [1, 99], questions: [1], targets: [9, 1]))
        }
    }
}
