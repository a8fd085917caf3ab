import Foundation
import SeededRandom
import Testing
import TensorCore

@testable import NeuralNetworks

@Suite struct AnswererDecodingTests {
    static func trained(instanceCount: Int = 2, steps: Int = 60) -> (Answerer, AnswererBatch) {
        var rng = SplitMix64(seed: 21)
        let model = Answerer(configuration: .tiny, dimensions: ToyLookup.dimensions, rng: &rng)
        let batch = ToyLookup.batch(instanceCount: instanceCount, factCount: 4, seed: 21)
        let adam = Adam(parameters: model.parameters().map(\.tensor), configuration: AdamConfiguration(learningRate: 1e-2))
        let tape = Tape()
        for _ in 0..<steps {
            tape.backward(tape.recording { model.loss(batch) })
            adam.step()
        }
        return (model, batch)
    }

    @Test func greedyDecodingReproducesLearnedAnswers() {
        let (model, batch) = Self.trained()
        var rng = SplitMix64(seed: 0)
        #expect(model.decode(batch, mode: .greedy, rng: &rng) == batch.targets)
    }

    /// A batch large enough to be cut in two and decoded on both cores answers as it was taught,
    /// instance by instance in order, as the whole batch decoded on one thread does.
    @Test func greedyDecodingOfABatchCutInTwoReproducesLearnedAnswers() {
        let count = 2 * Answerer.minimumShardInstances + 1
        let (model, batch) = Self.trained(instanceCount: count, steps: 150)
        var rng = SplitMix64(seed: 0)
        #expect(model.decode(batch, mode: .greedy, rng: &rng) == batch.targets)
        let halves = [0..<(count / 2), (count / 2)..<count].flatMap { model.decode(batch.instances($0), mode: .greedy, rng: &rng) }
        #expect(halves == batch.targets)
    }

    /// A sampled batch large enough to be cut in two: each instance decoded alone from its own
    /// place in the batch's draws answers as in the whole batch, the whole batch answers as it
    /// does decoded on one thread, and the generator moves on by one draw per question and token.
    @Test func sampledDecodingOfABatchCutInTwoTakesEachQuestionsOwnDraws() {
        let count = 2 * Answerer.minimumShardInstances + 1
        var weights = SplitMix64(seed: 5)
        let model = Answerer(configuration: .tiny, dimensions: ToyLookup.dimensions, rng: &weights)  // untrained: far from greedy
        let batch = ToyLookup.batch(instanceCount: count, factCount: 4, seed: 5)
        let (rows, length) = (count * batch.questionCount, ToyLookup.dimensions.answerLength)
        var rng = SplitMix64(seed: 11)
        let start = rng
        let answers = model.decode(batch, mode: .sampled, rng: &rng)
        var moved = start
        moved.advance(by: rows * length)
        #expect(rng == moved)
        #expect(answers == model.decodeWhole(batch, mode: .sampled, draws: .init(start: start, rowOffset: 0, rows: rows)))
        for instance in 0..<count {
            let alone = model.decodeWhole(
                batch.instances(instance..<(instance + 1)), mode: .sampled,
                draws: .init(start: start, rowOffset: instance * batch.questionCount, rows: rows))
            let width = batch.questionCount * length
            #expect(alone == Array(answers[(instance * width)..<((instance + 1) * width)]))
        }
        var greedy = SplitMix64(seed: 0)
        #expect(answers != model.decode(batch, mode: .greedy, rng: &greedy))
    }

    @Test func sampledDecodingIsDeterministicPerSeedAndInRange() {
        var rng = SplitMix64(seed: 2)
        let model = Answerer(configuration: .tiny, dimensions: ToyLookup.dimensions, rng: &rng)
        let batch = ToyLookup.batch(instanceCount: 2, factCount: 4, seed: 2)
        var first = SplitMix64(seed: 9), second = SplitMix64(seed: 9)
        let a = model.decode(batch, mode: .sampled, rng: &first)
        #expect(a == model.decode(batch, mode: .sampled, rng: &second))
        #expect(a.count == 2 * 4 * 2 && a.allSatisfy { (0..<17).contains($0) })
    }

    @Test func nestedFormMatchesTheFlatForm() {
        var rng = SplitMix64(seed: 3)
        let model = Answerer(configuration: .tiny, dimensions: ToyLookup.dimensions, rng: &rng)
        let facts = [[[1, 9], [2, 10]], [[3, 11], [4, 12]]]
        let questions = [[[1], [2]], [[4], [3]]]
        var r1 = SplitMix64(seed: 0), r2 = SplitMix64(seed: 0)
        let nested = model.decode(facts: facts, questions: questions, mode: .greedy, rng: &r1)
        let flat = model.decode(AnswererBatch(facts: facts, questions: questions), mode: .greedy, rng: &r2)
        #expect(nested.flatMap { $0.flatMap { $0 } } == flat)
    }

    @Test func chooseFollowsTheDistribution() {
        var rng = SplitMix64(seed: 4)
        let logProbabilities: [Float] = [Float(0.7).logValue, -.infinity, Float(0.3).logValue]
        var counts = [0, 0, 0]
        for _ in 0..<4000 { counts[Answerer.choose(from: logProbabilities[...], mode: .sampled, rng: &rng)] += 1 }
        #expect(counts[1] == 0)
        #expect(abs(Double(counts[0]) / 4000 - 0.7) < 0.03)
        #expect(Answerer.choose(from: logProbabilities[...], mode: .greedy, rng: &rng) == 0)
    }
}

extension Float {
    fileprivate var logValue: Float { Float(Foundation.log(Double(self))) }
}
