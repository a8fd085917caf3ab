#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Asker
import Foundation
import NeuralNetworks
import SeededRandom

/// Everything needed to continue a run exactly where it stopped: both models, Adam's moments,
/// the EMA counter, every random stream, the curriculum, the replay buffer, the counters and the
/// evaluations so far. Serialises to bytes (JSON with the model checkpoints inside, base64).
///
/// ```swift
/// let bytes = try distiller.state().serialized()
/// let resumed = try Distiller(task: task, resuming: TrainingState(bytes: bytes))
/// ```
public struct TrainingState: SavedState, Sendable {
    /// The layout this build writes and reads; bump it on any change.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var taskName: String
    public var taskSize: Int
    public var dimensions: TaskDimensions
    public var configuration: DistillationConfiguration
    public var targets: TargetSource
    public var schedule: TrainingSchedule
    public var seed: UInt64
    /// ``Checkpoint`` bytes of the student, the teacher and Adam's state.
    public var student: Data
    public var teacher: Data
    public var optimizer: Data
    public var teacherAverage: ParameterAverage
    /// The instance-generation stream and the batch-sampling stream.
    public var dataRandom: SplitMix64
    public var batchRandom: SplitMix64
    public var curriculum: Curriculum
    public var buffer: ReplayBuffer
    public var counters: TrainingCounters
    /// Generations made so far.
    public var generationCount: Int
    /// Rounds finished (`rounds` schedule) and whether the current round's dataset is in the buffer.
    public var roundsCompleted: Int
    public var roundDatasetReady: Bool
    public var evaluations: [EvaluationReport]
    public var roundReports: [RoundReport]
    /// H′'s side of the run (model, Adam, buffer, schedule, streams) when it has one; nil
    /// otherwise, and in states saved before H′ was checkpointed (a resume then starts H′ afresh).
    public var asker: AskerState?

    /// Steps taken so far.
    public var step: Int { counters.steps }

    /// Decodes ``serialized()`` bytes, checking the format version.
    ///
    /// - Throws: ``DistillationError/unreadableState(_:)`` or ``DistillationError/incompatibleState(_:)``.
    public init(bytes: [UInt8]) throws(DistillationError) {
        self = try Self.decoded(from: bytes)
    }

    init(
        taskName: String, taskSize: Int, dimensions: TaskDimensions, configuration: DistillationConfiguration,
        targets: TargetSource, schedule: TrainingSchedule, seed: UInt64, student: Data, teacher: Data, optimizer: Data,
        teacherAverage: ParameterAverage, dataRandom: SplitMix64, batchRandom: SplitMix64, curriculum: Curriculum,
        buffer: ReplayBuffer, counters: TrainingCounters, generationCount: Int, roundsCompleted: Int,
        roundDatasetReady: Bool, evaluations: [EvaluationReport], roundReports: [RoundReport],
        asker: AskerState? = nil
    ) {
        formatVersion = Self.currentFormatVersion
        self.taskName = taskName
        self.taskSize = taskSize
        self.dimensions = dimensions
        self.configuration = configuration
        self.targets = targets
        self.schedule = schedule
        self.seed = seed
        self.student = student
        self.teacher = teacher
        self.optimizer = optimizer
        self.teacherAverage = teacherAverage
        self.dataRandom = dataRandom
        self.batchRandom = batchRandom
        self.curriculum = curriculum
        self.buffer = buffer
        self.counters = counters
        self.generationCount = generationCount
        self.roundsCompleted = roundsCompleted
        self.roundDatasetReady = roundDatasetReady
        self.evaluations = evaluations
        self.roundReports = roundReports
        self.asker = asker
    }
}
