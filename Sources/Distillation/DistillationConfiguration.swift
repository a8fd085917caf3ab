import Amplification
import Asker
import NeuralNetworks

/// Everything a distillation run is configured by, nanoGPT style: each default says why.
///
/// The replay buffer's reuse follows from three numbers: a step samples `batchSize` instances
/// uniformly from the buffer and `instancesPerGeneration` new ones arrive every
/// `generationInterval` steps, so each (question, target) is trained on about
/// `batchSize · generationInterval / instancesPerGeneration` times before eviction (footnote 3 of
/// the paper: about 10). `bufferCapacity` only sets how stale targets may get.
///
/// ```swift
/// var configuration = DistillationConfiguration.small
/// configuration.steps = 1_000
/// let distiller = try Distiller(task: task, configuration: configuration, targets: .amplification, seed: 7)
/// ```
public struct DistillationConfiguration: Codable, Sendable, Hashable {
    /// The answerer's size (both student and teacher).
    public var answerer: AnswererConfiguration
    /// Adam: learning rate 1e-3 at small (reference §9), β2 0.98 and clip 1 (the paper's).
    public var optimizer: AdamConfiguration
    /// The EMA teacher's horizon (``ParameterAverage``). 100 at small: runs are 2–5k steps, so
    /// the paper's 1000 would leave the teacher far behind (reference §9: 50–200).
    public var teacherHorizon: Int
    /// Instances per Adam step (each with all its questions). 16 at small (reference §9: 16–32);
    /// the hidden-depth tasks do better with 32 or 64 (``preset(named:task:)``).
    public var batchSize: Int
    /// Adam steps of a `continuous` run. 3000 at small: IA on wildcard search reaches 100 % by
    /// then, about two minutes on this machine (measured, Documentation/Training.md).
    public var steps: Int
    /// Steps between two generations of targets. 5 at small, with 8 instances per generation
    /// (permutation powering and union find generate every step, ``preset(named:task:)``).
    public var generationInterval: Int
    /// Fresh instances amplified per generation. 8 at small: 16·5/8 = 10 uses per target.
    public var instancesPerGeneration: Int
    /// The replay ring's capacity in instances. 200 at small: a target lives 125 steps, so the
    /// student never trains on targets from a teacher much older than its horizon.
    public var bufferCapacity: Int
    /// Instances generated before the first step (the paper waits for 10 batches). 48 at small:
    /// three batches, so the first steps do not overfit a handful of instances.
    public var warmupInstances: Int
    /// How the teacher answers sub-questions inside Amp(H, X) and in the curriculum check:
    /// `.sampled`, as the paper does (reference §8.3).
    public var assistantDecoding: DecodingMode
    /// The amplifier's limits while making targets (every expert fits in `.small`).
    public var amplificationBudget: AmplificationBudget
    /// Steps between `.checkpoint` events (resumable state); 0: none. 300 at small: a crash
    /// loses at most a tenth of a run.
    public var checkpointInterval: Int
    public var curriculum: CurriculumConfiguration
    public var evaluation: EvaluationConfiguration
    public var rounds: RoundsConfiguration
    /// H′, the learned supervisor: when set, IA's targets are Amp(H′, X_teacher) and the real
    /// expert is called for demonstrations and the actions H′ defers to it
    /// (`Documentation/Asker.md`); nil (the default): the scripted expert makes every target.
    /// Ignored by the supervised baseline.
    public var asker: AskerConfiguration? = nil

    public init(
        answerer: AnswererConfiguration = .small, optimizer: AdamConfiguration = .small, teacherHorizon: Int = 100,
        batchSize: Int = 16, steps: Int = 3000, generationInterval: Int = 5, instancesPerGeneration: Int = 8,
        bufferCapacity: Int = 200, warmupInstances: Int = 48, assistantDecoding: DecodingMode = .sampled,
        amplificationBudget: AmplificationBudget = .small, checkpointInterval: Int = 300,
        curriculum: CurriculumConfiguration = .small, evaluation: EvaluationConfiguration = .small,
        rounds: RoundsConfiguration = .small
    ) {
        self.answerer = answerer
        self.optimizer = optimizer
        self.teacherHorizon = teacherHorizon
        self.batchSize = batchSize
        self.steps = steps
        self.generationInterval = generationInterval
        self.instancesPerGeneration = instancesPerGeneration
        self.bufferCapacity = bufferCapacity
        self.warmupInstances = warmupInstances
        self.assistantDecoding = assistantDecoding
        self.amplificationBudget = amplificationBudget
        self.checkpointInterval = checkpointInterval
        self.curriculum = curriculum
        self.evaluation = evaluation
        self.rounds = rounds
    }

    /// Seconds in a debug build: d 32, 300 steps of 8 instances, for tests.
    public static let tiny = DistillationConfiguration(
        answerer: .tiny, optimizer: .tiny, teacherHorizon: 20, batchSize: 8, steps: 300, generationInterval: 5,
        instancesPerGeneration: 4, bufferCapacity: 60, warmupInstances: 16, amplificationBudget: .tiny,
        checkpointInterval: 100, curriculum: .tiny, evaluation: .tiny, rounds: .tiny)

    /// The default demo: minutes on 2 cores.
    public static let small = DistillationConfiguration()

    /// The published configuration (reference §6 `jan30`): d 512, batch 50, 400k steps, Adam
    /// 1e-5, EMA horizon 1000, a 10 000-instance ring with 5 new instances per step.
    public static let paper = DistillationConfiguration(
        answerer: .paper, optimizer: .paper, teacherHorizon: 1000, batchSize: 50, steps: 400_000,
        generationInterval: 1, instancesPerGeneration: 5, bufferCapacity: 10_000, warmupInstances: 500,
        amplificationBudget: .paper, checkpointInterval: 5_000, curriculum: .paper, evaluation: .paper,
        rounds: .paper)

    /// The presets by name, for command lines.
    public static let presets: [String: DistillationConfiguration] = ["tiny": .tiny, "small": .small, "paper": .paper]

    /// The expected number of times each target is trained on:
    /// `batchSize · generationInterval / instancesPerGeneration`.
    public var expectedUses: Double {
        Double(batchSize * generationInterval) / Double(instancesPerGeneration)
    }

    /// What is wrong with the configuration, or `nil` when a run can start.
    public var problem: String? {
        if teacherHorizon < 1 { return "teacherHorizon \(teacherHorizon) must be ≥ 1" }
        if batchSize < 1 { return "batchSize \(batchSize) must be ≥ 1" }
        if steps < 0 { return "steps \(steps) must be ≥ 0" }
        if generationInterval < 1 { return "generationInterval \(generationInterval) must be ≥ 1" }
        if instancesPerGeneration < 1 { return "instancesPerGeneration \(instancesPerGeneration) must be ≥ 1" }
        if bufferCapacity < max(batchSize, warmupInstances) {
            return "bufferCapacity \(bufferCapacity) must hold at least batchSize \(batchSize) and warmupInstances \(warmupInstances)"
        }
        if warmupInstances < 1 { return "warmupInstances \(warmupInstances) must be ≥ 1" }
        if checkpointInterval < 0 { return "checkpointInterval \(checkpointInterval) must be ≥ 0" }
        return curriculum.problem ?? evaluation.problem ?? rounds.problem
    }
}
