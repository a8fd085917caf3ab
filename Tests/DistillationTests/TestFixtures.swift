import Distillation
import SeededRandom
import Tasks

/// Tasks, configurations and test doubles the distillation tests share.
enum TestFixtures {
    static let taskNames = ["permutation", "assignments", "wildcard", "shortest-path", "union-find"]

    static func task(_ name: String) -> any AmplificationTask {
        switch name {
        case "permutation": PermutationPowering(.tiny)
        case "assignments": SequentialAssignments(.tiny)
        case "wildcard": WildcardSearch(.tiny)
        case "shortest-path": ShortestPath(.tiny)
        case "union-find": UnionFind(.tiny)
        default: preconditionFailure("TestFixtures.task: no task \(name)")
        }
    }

    /// The tiny preset cut to `steps` steps, checkpointing every `checkpointInterval`.
    static func configuration(steps: Int, evaluationInstances: Int = 8, checkpointInterval: Int = 0) -> DistillationConfiguration {
        var configuration = DistillationConfiguration.tiny
        configuration.steps = steps
        configuration.evaluation.interval = 0
        configuration.evaluation.instanceCount = evaluationInstances
        configuration.checkpointInterval = checkpointInterval
        configuration.rounds = RoundsConfiguration(roundCount: 2, instancesPerRound: 16, stepsPerRound: 10)
        return configuration
    }

    /// The losses of every step and the report of a run.
    static func run(_ distiller: Distiller) async throws -> (losses: [Double], report: DistillationReport) {
        var losses: [Double] = []
        let report = try await distiller.run { event in
            if case .step(let metrics) = event { losses.append(metrics.loss) }
        }
        return (losses, report)
    }
}

/// A task whose oracle traps when asked for ground truth: a run that finishes with it never read
/// ground truth (leaf lookups and depths still work).
struct TrappingTask: AmplificationTask {
    let base: any AmplificationTask

    var name: String { base.name }
    var vocabulary: [String] { base.vocabulary }
    var factLength: Int { base.factLength }
    var questionLength: Int { base.questionLength }
    var answerLength: Int { base.answerLength }
    var interactionLength: Int { base.interactionLength }
    var size: Int { base.size }
    var minimumSize: Int { base.minimumSize }

    func makeInstance(size: Int, using rng: inout SplitMix64) -> TaskInstance { base.makeInstance(size: size, using: &rng) }
    func oracle(for instance: TaskInstance) -> any InstanceOracle { TrappingOracle(base: base.oracle(for: instance)) }
    func isLeaf(_ question: Tokens) -> Bool { base.isLeaf(question) }
    func expertStep(question: Tokens, transcript: [Exchange]) -> ExpertStep {
        base.expertStep(question: question, transcript: transcript)
    }
}

struct TrappingOracle: InstanceOracle {
    let base: any InstanceOracle

    func groundTruth(_ question: Tokens) -> Tokens {
        preconditionFailure("TrappingOracle: ground truth read for \(question)")
    }
    func leafAnswer(_ question: Tokens, using rng: inout SplitMix64) -> Tokens? { base.leafAnswer(question, using: &rng) }
    func depth(of question: Tokens) -> Int { base.depth(of: question) }
}
