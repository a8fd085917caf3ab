import Amplification
import Asker
import NeuralNetworks
import SeededRandom
import Tasks
import Testing

@Suite struct LearnedSupervisorTests {
    /// Instances of `task` at full size from `seed`.
    static func instances(of task: any AmplificationTask, count: Int, seed: UInt64) -> [TaskInstance] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in task.makeInstance(size: task.size, using: &rng) }
    }

    static let groundTruth = AmplifierConfiguration(budget: .tiny, groundTruth: .allowed)

    /// H′ trained on scripted-expert transcripts alone (ground-truth sub-answers) must then run
    /// the decomposition itself: Amp(H′, ground truth) answers fresh instances correctly.
    @Test(.tags(.slow), arguments: [11, 12] as [UInt64])
    func learnsTheTinyPermutationDecompositionFromDemonstrations(seed: UInt64) async throws {
        let task = PermutationPowering(.tiny)
        let layout = TranscriptLayout(task: task)
        let demonstrations = try await DemonstrationBatch.generate(
            task: task, expert: ScriptedExpert(task: task), instances: Self.instances(of: task, count: 200, seed: seed),
            assistant: GroundTruthAssistant(), seed: seed, configuration: Self.groundTruth)
        #expect(demonstrations.discarded == 0)
        #expect(demonstrations.expertCalls == demonstrations.transcripts.reduce(0) { $0 + $1.actionCount(layout: layout) })
        var rng = SplitMix64(seed: seed)
        let model = TranscriptModel(layout: layout, configuration: .tiny, rng: &rng)
        let trainer = AskerTrainer(model: model, configuration: .tiny, seed: seed)
        trainer.add(demonstrations.transcripts)
        let initialLoss = trainer.loss(on: demonstrations.transcripts)
        for _ in 0..<150 { trainer.step() }
        let finalLoss = trainer.loss(on: demonstrations.transcripts)
        #expect(finalLoss < initialLoss / 10, "loss \(initialLoss) -> \(finalLoss)")

        let heldOut = try await DemonstrationBatch.generate(
            task: task, expert: ScriptedExpert(task: task),
            instances: Self.instances(of: task, count: 100, seed: seed + 1000),
            assistant: GroundTruthAssistant(), seed: seed + 1000, configuration: Self.groundTruth)
        let accuracy = ActionAccuracy.measure(model: model, on: heldOut.transcripts)
        #expect(accuracy.subquestions >= 0.95 && accuracy.answers >= 0.95, "\(accuracy)")

        let fresh = Self.instances(of: task, count: 40, seed: seed + 2000)
        let amplifier = Amplifier(
            task: task, supervisor: LearnedSupervisor(model: model), assistant: GroundTruthAssistant(),
            configuration: Self.groundTruth)
        let result = try await amplifier.amplify(fresh, seed: seed)
        let truth = fresh.flatMap { instance in instance.questions.map { task.oracle(for: instance).groundTruth($0) } }
        let correct = zip(result.answers, truth).filter { $0 == $1 }.count
        #expect(Double(correct) >= 0.95 * Double(truth.count), "\(correct)/\(truth.count) correct, \(accuracy)")
    }
}

extension Tag {
    @Tag static var slow: Self
}
