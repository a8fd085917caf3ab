import Amplification
import NeuralNetworks
import SeededRandom
import Tasks

/// Scores an answerer on a fixed set of instances against ground truth, per question depth: X
/// sampled, X greedy, and Amp(H, X) with the task's scripted expert.
///
/// Ground truth and depths come from each instance's oracle directly (evaluation is the one
/// place besides the supervised baseline that may read them); they are computed once.
///
/// ```swift
/// let evaluator = Evaluator(task: task, instances: heldOut, seed: 9)
/// let report = try await evaluator.evaluate(model: teacher, step: 1000)
/// report.modelAccuracy   // X, sampled
/// ```
public struct Evaluator {
    public let task: any AmplificationTask
    public let instances: [TaskInstance]
    /// One query per question, instance by instance, with its own seed.
    let queries: [AssistantQuery]
    let truths: [Tokens]
    let depths: [Int]

    /// An evaluator over `instances`; `seed` seeds the queries' random streams (sampling, random
    /// leaves inside Amp(H, X)).
    public init(task: any AmplificationTask, instances: [TaskInstance], seed: UInt64) {
        self.task = task
        self.instances = instances
        queries = AssistantQuery.mainQuestions(of: instances, seed: seed)
        var truths: [Tokens] = []
        var depths: [Int] = []
        for instance in instances {
            let oracle = task.oracle(for: instance)
            for question in instance.questions {
                truths.append(oracle.groundTruth(question))
                depths.append(oracle.depth(of: question))
            }
        }
        self.truths = truths
        self.depths = depths
    }

    /// A held-out evaluator: `count` fresh instances at the task's full size from `rng`.
    public init(task: any AmplificationTask, heldOutCount count: Int, rng: inout SplitMix64) {
        let instances = (0..<count).map { _ in task.makeInstance(size: task.size, using: &rng) }
        self.init(task: task, instances: instances, seed: rng.next())
    }

    /// The accuracies of `model` (and of Amp(H, model) when `amplified`), per depth.
    ///
    /// - Parameters:
    ///   - amplifierDecoding: how the model answers sub-questions inside Amp(H, X).
    ///   - budget: the amplifier's limits.
    public func evaluate(
        model: Answerer, amplified: Bool = true, amplifierDecoding: DecodingMode = .sampled,
        budget: AmplificationBudget = .small, step: Int = 0, round: Int? = nil
    ) async throws -> EvaluationReport {
        let contexts = InstanceContext.contexts(for: instances, task: task)
        let sampled = NeuralAssistant(model: model, mode: .sampled).answers(to: queries, contexts: contexts)
        let greedy = NeuralAssistant(model: model, mode: .greedy).answers(to: queries, contexts: contexts)
        var amplifiedAnswers: [Tokens]?
        if amplified {
            let amplifier = Amplifier(
                task: task, supervisor: ScriptedExpert(task: task),
                assistant: NeuralAssistant(model: model, mode: amplifierDecoding),
                configuration: AmplifierConfiguration(budget: budget, groundTruth: .forbidden))
            amplifiedAnswers = try await amplifier.run(queries, contexts: contexts).answers.map(\.tokens)
        }
        return report(sampled: sampled, greedy: greedy, amplified: amplifiedAnswers, step: step, round: round)
    }

    /// Tallies answers against the truths, per depth.
    func report(sampled: [Tokens], greedy: [Tokens], amplified: [Tokens]?, step: Int, round: Int?) -> EvaluationReport {
        var byDepth: [Int: DepthAccuracy] = [:]
        for index in truths.indices {
            let depth = depths[index]
            var entry = byDepth[depth]
                ?? DepthAccuracy(
                    depth: depth, questionCount: 0, modelSampledCorrect: 0, modelGreedyCorrect: 0,
                    amplifiedCorrect: amplified == nil ? nil : 0)
            entry.questionCount += 1
            if sampled[index] == truths[index] { entry.modelSampledCorrect += 1 }
            if greedy[index] == truths[index] { entry.modelGreedyCorrect += 1 }
            if let amplified, amplified[index] == truths[index] { entry.amplifiedCorrect = (entry.amplifiedCorrect ?? 0) + 1 }
            byDepth[depth] = entry
        }
        return EvaluationReport(
            step: step, round: round, instanceSize: instances.map(\.size).max() ?? 0,
            depths: byDepth.values.sorted { $0.depth < $1.depth })
    }
}
