import Amplification
import Asker
import NeuralNetworks
import SeededRandom
import Tasks

/// Shared inputs of the Asker tests.
enum Fixtures {
    static let task = PermutationPowering(.tiny)
    static let layout = TranscriptLayout(task: task)
    static let groundTruth = AmplifierConfiguration(budget: .tiny, groundTruth: .allowed)

    /// Full-size instances of `task` from `seed`.
    static func instances(of task: any AmplificationTask = task, count: Int, seed: UInt64) -> [TaskInstance] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in task.makeInstance(size: task.size, using: &rng) }
    }

    /// An untrained tiny model of the tiny permutation task's transcripts.
    static func model(seed: UInt64, layout: TranscriptLayout = layout) -> TranscriptModel {
        var rng = SplitMix64(seed: seed)
        return TranscriptModel(layout: layout, configuration: .tiny, rng: &rng)
    }

    /// Scripted-expert demonstrations with ground-truth sub-answers.
    static func demonstrations(count: Int, seed: UInt64) async throws -> DemonstrationBatch {
        try await DemonstrationBatch.generate(
            task: task, expert: ScriptedExpert(task: task), instances: instances(count: count, seed: seed),
            assistant: GroundTruthAssistant(), seed: seed, configuration: groundTruth)
    }
}
