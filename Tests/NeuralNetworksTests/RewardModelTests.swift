import SeededRandom
import Testing
import TensorCore

@testable import NeuralNetworks

/// RLHF's pieces in the model: the reward model's scores and Bradley–Terry loss, and the
/// answerer's weighted loss (the policy gradient's surrogate).
@Suite struct RewardModelTests {
    static let small = AnswererConfiguration(
        modelDimension: 8, tokenEmbeddingDimension: 4, headCount: 2, factLayerCount: 1, questionLayerCount: 1)

    static func model(seed: UInt64, configuration: AnswererConfiguration = small) -> RewardModel {
        var rng = SplitMix64(seed: seed)
        return RewardModel(configuration: configuration, dimensions: ToyLookup.dimensions, rng: &rng)
    }

    /// `batch` with every answer's value token moved to the next value: all wrong.
    static func wrong(_ batch: AnswererBatch) -> AnswererBatch {
        var wrong = batch
        for row in 0..<(batch.instanceCount * batch.questionCount) {
            wrong.targets[row * 2] = 9 + (batch.targets[row * 2] - 9 + 1) % 8
        }
        return wrong
    }

    @Test(arguments: [1, 2] as [UInt64])
    func preferenceLossGradientMatchesCentralDifferences(seed: UInt64) {
        let model = Self.model(seed: seed)
        let right = ToyLookup.batch(instanceCount: 2, factCount: 3, seed: seed)
        let probe = GradientProbe(parameters: model.parameters(), samplesPerTensor: 4, seed: seed, epsilon: 1e-3) {
            model.preferenceLoss(preferred: right, rejected: Self.wrong(right))
        }
        #expect(probe.passed, "\(probe)")
    }

    /// Trained on "the right value over the next one", the model ranks right answers above wrong
    /// ones on instances it never saw: the loss starts at log 2 (equal scores) and falls.
    @Test func itLearnsToRankRightAnswersAboveWrongOnes() {
        let model = Self.model(seed: 3, configuration: .tiny)
        let adam = Adam(parameters: model.parameters().map(\.tensor), configuration: AdamConfiguration(learningRate: 3e-3))
        let tape = Tape()
        var first: Float?
        for step in 0..<200 {
            let right = ToyLookup.batch(instanceCount: 8, factCount: 6, seed: 100 + UInt64(step))
            let loss = tape.recording { model.preferenceLoss(preferred: right, rejected: Self.wrong(right)) }
            tape.backward(loss)
            adam.step()
            if first == nil { first = loss.item }
        }
        #expect(abs((first ?? 0) - 0.693) < 0.3, "the first loss is near log 2: \(first ?? 0)")
        let unseen = ToyLookup.batch(instanceCount: 8, factCount: 6, seed: 7)
        let (up, down) = Tape.withoutRecording { (model.rewards(unseen).scalars, model.rewards(Self.wrong(unseen)).scalars) }
        let ranked = zip(up, down).count { $0 > $1 }
        #expect(ranked >= up.count * 9 / 10, "\(ranked) of \(up.count) right answers ranked above wrong ones")
    }

    /// With weights 1/n on every real question the weighted loss is the loss; weights scale it,
    /// and a padding question's weight is ignored.
    @Test func theWeightedLossIsTheLossWeighted() {
        let model = AnswererTests.model(seed: 5)
        var batch = ToyLookup.batch(instanceCount: 2, factCount: 4, seed: 9)
        batch.questions[batch.questions.count - 1] = 0  // the last question is padding
        let n = model.realQuestionCount(batch)
        let (loss, weighted, padded) = Tape.withoutRecording {
            (
                model.loss(batch).item,
                model.weightedLoss(batch, weights: [Float](repeating: 1 / Float(n), count: 8)).item,
                model.weightedLoss(batch, weights: [Float](repeating: 0, count: 7) + [100]).item
            )
        }
        #expect(abs(weighted - loss) <= 1e-4 * abs(loss), "\(weighted) against \(loss)")
        #expect(padded == 0)
        let logLikelihoods = Tape.withoutRecording { model.logLikelihoods(batch).scalars }
        let single = Tape.withoutRecording { model.weightedLoss(batch, weights: [2] + [Float](repeating: 0, count: 7)).item }
        #expect(abs(single + 2 * logLikelihoods[0]) <= 1e-4 * abs(single))
    }

    /// The surrogate's sign: a step on a positive weight raises the answer's likelihood, on a
    /// negative weight lowers it (REINFORCE moves toward samples with positive advantage).
    @Test func aStepOnTheWeightedLossMovesTheLikelihoodWithTheWeightsSign() {
        for sign: Float in [1, -1] {
            let model = AnswererTests.model(seed: 6)
            let batch = ToyLookup.batch(instanceCount: 2, factCount: 4, seed: 3)
            let before = Tape.withoutRecording { model.logLikelihoods(batch).scalars }
            let adam = Adam(parameters: model.parameters().map(\.tensor), configuration: AdamConfiguration(learningRate: 1e-3))
            let tape = Tape()
            let loss = tape.recording { model.weightedLoss(batch, weights: [sign] + [Float](repeating: 0, count: 7)) }
            tape.backward(loss)
            adam.step()
            let after = Tape.withoutRecording { model.logLikelihoods(batch).scalars }
            #expect((after[0] - before[0]) * sign > 0, "sign \(sign): \(before[0]) → \(after[0])")
        }
    }
}
