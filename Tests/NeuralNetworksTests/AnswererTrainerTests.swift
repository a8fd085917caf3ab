import IDATestSupport
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

    @Test(.tags(.concurrency), arguments: [(1 as UInt64, 2), (2, 3), (3, 2), (4, 5)])
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
        let worst = ShardedGradientsTests.worstRelativeDifference(Self.gradients(model), expected)
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

    @Test(.tags(.concurrency), arguments: [11 as UInt64, 12])
    func equalSeedsGiveEqualWeights(seed: UInt64) {
        func train() -> [[Float]] {
            let (model, batch) = Self.fixture(seed: seed, instanceCount: 8)
            let trainer = AnswererTrainer(model: model, optimizer: Adam(parameters: model.parameters().map(\.tensor)))
            for _ in 0..<5 { trainer.step(batch) }
            return model.parameters().map(\.tensor.scalars)
        }
        #expect(train() == train())
    }

    /// Twenty Adam steps on one tape and on `shardCount` shards. The shards only change the order
    /// in which float sums are taken, and so do other BLAS kernels and thread counts; Adam divides
    /// each gradient by its own running magnitude, so a weight whose gradient is near zero can move
    /// by a whole learning rate on a rounding-level difference, and single weights are compared
    /// nowhere. What rounding cannot move far is compared instead: the loss at every step, and
    /// the distance between the two weight vectors against the distance either travelled.
    @Test(arguments: [2, 3, 5])
    func shardedTrainingTracksOneTapeTraining(shardCount: Int) {
        func train(shardCount: Int) -> (losses: [Float], start: [Float], end: [Float]) {
            let (model, batch) = Self.fixture(seed: 21, instanceCount: 8)
            let start = model.parameters().flatMap(\.tensor.scalars)
            let trainer = AnswererTrainer(
                model: model, optimizer: Adam(parameters: model.parameters().map(\.tensor)), shardCount: shardCount)
            let losses = (0..<20).map { _ in trainer.step(batch) }
            return (losses, start, model.parameters().flatMap(\.tensor.scalars))
        }
        let (one, many) = (train(shardCount: 1), train(shardCount: shardCount))
        func distance(_ a: [Float], _ b: [Float]) -> Float {
            zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        }
        let worstLoss = zip(one.losses, many.losses).map { abs($0 - $1) / $0 }.max() ?? .infinity
        let gap = distance(one.end, many.end) / distance(one.start, one.end)
        #expect(one.losses.last! < 0.9 * one.losses.first!, "training moved: \(one.losses)")
        // Measured over 13 OpenBLAS kernels and 2, 3 and 5 shards: losses within 3e-7, gap 1e-3 to
        // 2e-3. A gradient scaled by 32/33 moves the losses by 3e-2; a shard's gradient dropped
        // moves both by more than 0.5.
        #expect(worstLoss < 1e-3, "largest relative loss difference over 20 steps \(worstLoss)")
        #expect(gap < 2e-2, "distance between the weights over distance travelled \(gap)")
    }

    /// `Shards` run concurrently only when OpenBLAS is single-threaded, a process-wide setting,
    /// so this runs in a child process: two and three concurrent shards track one tape's training
    /// as ``shardedTrainingTracksOneTapeTraining(shardCount:)`` measures it (losses at every step,
    /// the weights' distance against the distance travelled).
    @Test(.tags(.concurrency)) func concurrentShardsWithSingleThreadedBLASTrackOneTape() async {
        await #expect(processExitsWith: .success) {
            BLAS.threadCount = 1
            func train(shardCount: Int) -> (losses: [Float], start: [Float], end: [Float]) {
                let (model, batch) = AnswererTrainerTests.fixture(seed: 41, instanceCount: 6, paddedInstances: 1)
                let start = model.parameters().flatMap(\.tensor.scalars)
                let trainer = AnswererTrainer(
                    model: model, optimizer: Adam(parameters: model.parameters().map(\.tensor)), shardCount: shardCount)
                let losses = (0..<8).map { _ in trainer.step(batch) }
                return (losses, start, model.parameters().flatMap(\.tensor.scalars))
            }
            func distance(_ a: [Float], _ b: [Float]) -> Float {
                zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            }
            let one = train(shardCount: 1)
            for shardCount in [2, 3] {
                let many = train(shardCount: shardCount)
                let worstLoss = zip(one.losses, many.losses).map { abs($0 - $1) / $0 }.max() ?? .infinity
                let gap = distance(one.end, many.end) / distance(one.start, one.end)
                precondition(worstLoss < 1e-3 && gap < 2e-2, "\(shardCount) shards: loss difference \(worstLoss), gap \(gap)")
            }
        }
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
