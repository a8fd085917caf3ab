import Amplification
import NeuralNetworks
import SeededRandom
import Tasks
import Testing

@testable import Distillation

@Suite struct EvaluatorTests {
    @Test(arguments: TestFixtures.taskNames)
    func perfectAnswersScoreOneAtEveryDepth(taskName: String) {
        let task = TestFixtures.task(taskName)
        var rng = SplitMix64(seed: 3)
        let evaluator = Evaluator(task: task, heldOutCount: 6, rng: &rng)
        let report = evaluator.report(
            sampled: evaluator.truths, greedy: evaluator.truths, amplified: evaluator.truths, step: 5, round: nil)
        #expect(report.modelAccuracy == 1 && report.modelGreedyAccuracy == 1 && report.amplifiedAccuracy == 1)
        #expect(report.questionCount == evaluator.queries.count)
        #expect(report.depths.map(\.depth) == report.depths.map(\.depth).sorted())
        #expect(report.instanceSize == task.size)
    }

    @Test func wrongAnswersScoreZero() {
        let task = TestFixtures.task("permutation")
        var rng = SplitMix64(seed: 1)
        let evaluator = Evaluator(task: task, heldOutCount: 4, rng: &rng)
        let wrong = evaluator.truths.map { $0.map { $0 == 0 ? 1 : 0 } }
        let report = evaluator.report(sampled: wrong, greedy: evaluator.truths, amplified: nil, step: 0, round: 2)
        #expect(report.modelAccuracy == 0)
        #expect(report.modelGreedyAccuracy == 1)
        #expect(report.amplifiedAccuracy == nil)
        #expect(report.round == 2)
    }

    /// Amp(H, X) with leaf lookups answers depth 0 perfectly whatever X is.
    @Test(arguments: TestFixtures.taskNames)
    func amplifiedUntrainedModelAnswersDepthZero(taskName: String) async throws {
        let task = TestFixtures.task(taskName)
        var rng = SplitMix64(seed: 7)
        let model = Answerer(configuration: .tiny, dimensions: Distiller.dimensions(of: task), rng: &rng)
        let evaluator = Evaluator(task: task, heldOutCount: 6, rng: &rng)
        let report = try await evaluator.evaluate(model: model, step: 0)
        let depthZero = try #require(report.depths.first { $0.depth == 0 })
        #expect(depthZero.amplifiedAccuracy == 1)
    }

    @Test func sameSeedGivesTheSameHeldOutSet() {
        let task = TestFixtures.task("union-find")
        var first = SplitMix64(seed: 9)
        var second = SplitMix64(seed: 9)
        #expect(
            Evaluator(task: task, heldOutCount: 5, rng: &first).instances
                == Evaluator(task: task, heldOutCount: 5, rng: &second).instances)
    }
}
