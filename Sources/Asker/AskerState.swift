#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation
import SeededRandom

/// Everything needed to continue H′'s side of a run exactly where it stopped (reference §5.3):
/// the transcript model's weights, Adam's moments, the demonstration buffer and schedule, and
/// every random stream. Part of the distillation loop's `TrainingState`.
///
/// ```swift
/// let saved = asker.state()
/// let resumed = AskerLoop(task: task, configuration: configuration, seed: seed)
/// try resumed.restore(saved)    // resumed now acts, trains and counts as asker would
/// ```
public struct AskerState: Codable, Sendable, Equatable {
    /// ``NeuralNetworks/Checkpoint`` bytes of the transcript model (its parameters under their keys).
    public var model: Data
    /// ``NeuralNetworks/Checkpoint`` bytes of the trainer's Adam state.
    public var optimizer: Data
    /// The trainer's buffered transcripts, in buffer order, and the slot overwritten next once full.
    public var buffer: [[Int]]
    public var nextSlot: Int
    /// H′ steps taken.
    public var stepCount: Int
    /// The trainer's batch-sampling stream.
    public var trainerRandom: SplitMix64
    /// The demonstrations' instance stream.
    public var random: SplitMix64
    public var schedule: DemonstrationSchedule
    public var latestAccuracy: ActionAccuracy?
    public var pausedSteps: Int

    public init(
        model: Data, optimizer: Data, buffer: [[Int]], nextSlot: Int, stepCount: Int, trainerRandom: SplitMix64,
        random: SplitMix64, schedule: DemonstrationSchedule, latestAccuracy: ActionAccuracy?, pausedSteps: Int
    ) {
        self.model = model
        self.optimizer = optimizer
        self.buffer = buffer
        self.nextSlot = nextSlot
        self.stepCount = stepCount
        self.trainerRandom = trainerRandom
        self.random = random
        self.schedule = schedule
        self.latestAccuracy = latestAccuracy
        self.pausedSteps = pausedSteps
    }
}
