import SeededRandom
import TensorCore
import Testing

@testable import NeuralNetworks

@Suite struct AnswererTrainerTests {
    /// A tiny answerer and a toy batch; the last instances' questions are all padding when
    /// `paddedInstances > 0`, so that one shard carries fewer real questions than the other.
    static func fixture(seed: UInt64, instanceCount: Int, paddedInstances: Int = 0) -> (Answerer, AnswererBatch) {
        var rng = SplitMix64(seed: seed)
        let model = Answerer(configuration: .tiny, dimensions: ToyLookup.dimensions, rng: &rng)
        var batch = ToyLookup.batch(instanceCount: instanceCount, factCount: 4, seed: seed &+ 100)
        let perInstance = batch.questionCount * ToyLookup.dimensions.questionLength
        for index in ((instanceCount - paddedInstances) * perInstance)..<(instanceCount * perInstance) {
            batch.questions[index] = 0
        }
        return (model, batch)
    }

    static func gradients(_ model: Answerer) -> [[Float]] {
        model.parameters().map { $0.tensor.gradient ?? [Float](repeating: 0, count: $0.tensor.count) }
    }

    @Test(arguments: [(1 as UInt64, 2), (2, 3), (3, 2), (4, 5)])
    func shardedGradientsEqualOneTapesGradients(seed: UInt64, shardCount: Int) {
        let (model, batch) = Self.fixture(seed: seed, instanceCount: 6, paddedInstances: 1)
        let tape = Tape()
        let expectedLoss = tape.recording { model.loss(batch) }
        tape.backward(expectedLoss)
        let expected = Self.gradients(model)
        model.parameters().map(\.tensor).zeroGradients()

        let trainer = AnswererTrainer(
            model: model, optimizer: Adam(parameters: model.parameters().map(\.tensor)), shardCount: shardCount)
        let loss = trainer.accumulateGradients(batch)
        #expect(abs(loss - expectedLoss.item) <= 1e-5 * max(1, abs(expectedLoss.item)))
        var worst: Float = 0
        for (mine, theirs) in zip(Self.gradients(model), expected) {
            for (a, b) in zip(mine, theirs) { worst = max(worst, abs(a - b) / max(1e-3, abs(b))) }
        }
        #expect(worst < 1e-3, "worst relative gradient difference \(worst)")
        #expect(expected.contains { $0.contains { $0 != 0 } })  // the comparison is not of zeros
    }

    @Test func replicasShareWeightsAndKeepNoGradientAfterAStep() {
        let (model, batch) = Self.fixture(seed: 5, instanceCount: 4)
        let replica = model.replica()
        for (mine, theirs) in zip(model.parameters(), replica.parameters()) {
            #expect(theirs.tensor.sharesValues(with: mine.tensor))
        }
        let trainer = AnswererTrainer(model: model, optimizer: Adam(parameters: model.parameters().map(\.tensor)))
        let before = model.parameters()[0].tensor.scalars
        trainer.step(batch)
        #expect(model.parameters()[0].tensor.scalars != before)
        #expect(replica.parameters()[0].tensor.scalars == model.parameters()[0].tensor.scalars)
        // Adam consumed the model's gradients; the reduction consumed the other shard's.
        #expect(Self.gradients(model).allSatisfy { $0.allSatisfy { $0 == 0 } })
    }

    @Test(arguments: [11 as UInt64, 12])
    func equalSeedsGiveEqualWeights(seed: UInt64) {
        func train() -> [[Float]] {
            let (model, batch) = Self.fixture(seed: seed, instanceCount: 8)
            let trainer = AnswererTrainer(model: model, optimizer: Adam(parameters: model.parameters().map(\.tensor)))
            for _ in 0..<5 { trainer.step(batch) }
            return model.parameters().map(\.tensor.scalars)
        }
        #expect(train() == train())
    }

    @Test func shardedTrainingTracksOneTapeTraining() {
        // Twenty steps each way: the weights differ only by float rounding of the sums.
        func train(shardCount: Int) -> (loss: Float, weights: [Float]) {
            let (model, batch) = Self.fixture(seed: 21, instanceCount: 8)
            let trainer = AnswererTrainer(
                model: model, optimizer: Adam(parameters: model.parameters().map(\.tensor)), shardCount: shardCount)
            var loss: Float = 0
            for _ in 0..<20 { loss = trainer.step(batch) }
            return (loss, model.parameters().flatMap(\.tensor.scalars))
        }
        let (one, two) = (train(shardCount: 1), train(shardCount: 2))
        let drift = zip(one.weights, two.weights).map { abs($0 - $1) }.max() ?? 0
        #expect(drift < 1e-3, "largest weight difference \(drift)")
        #expect(abs(one.loss - two.loss) < 1e-3)
    }

    @Test func aBatchWithFewerInstancesThanShardsRunsOnOneTape() {
        let (model, batch) = Self.fixture(seed: 31, instanceCount: 1)
        let trainer = AnswererTrainer(model: model, optimizer: Adam(parameters: model.parameters().map(\.tensor)), shardCount: 4)
        #expect(trainer.step(batch).isFinite)
    }

    @Test func zeroShardsTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 1)
            let model = Answerer(configuration: .tiny, dimensions: ToyLookup.dimensions, rng: &rng)
            _ = AnswererTrainer(model: model, optimizer: Adam(parameters: model.parameters().map(\.tensor)), shardCount: 0)
        }
    }

    @Test func lossAveragedOverNoQuestionsTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 1)
            let model = Answerer(configuration: .tiny, dimensions: ToyLookup.dimensions, rng: &rng)
            _ = model.loss(ToyLookup.batch(instanceCount: 2, factCount: 4, seed: 1), averagedOver: 0)
        }
    }
}
