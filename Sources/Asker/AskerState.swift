#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation
import SeededRandom

/// Everything needed to continue H′'s side of a run exactly where it stopped (reference §5.3):
/// the transcript model's weights, Adam's moments, the demonstration buffer and schedule, and
/// every random stream. Part of the distillation loop's `TrainingState`.
///
/// An immutable final class rather than a struct, as a precaution: held inline in
/// `TrainingState`, its last field `pausedSteps` was seen stored and resumed wrong (1 for 0, or
/// bytes of the checkpoint's base64 text) with no cause found, and the struct no longer
/// reproduces it (`Documentation/Asker.md` lists what was ruled out). Boxed, the state travels
/// as one reference.
///
/// ```swift
/// let saved = asker.state()
/// let resumed = AskerLoop(task: task, configuration: configuration, seed: seed)
/// try resumed.restore(saved)    // resumed now acts, trains and counts as asker would
/// ```
public final class AskerState: Codable, Sendable, Equatable {
    /// ``NeuralNetworks/Checkpoint`` bytes of the transcript model (its parameters under their keys).
    public let model: Data
    /// ``NeuralNetworks/Checkpoint`` bytes of the trainer's Adam state.
    public let optimizer: Data
    /// The trainer's buffered transcripts, in buffer order, and the slot overwritten next once full.
    public let buffer: [[Int]]
    public let nextSlot: Int
    /// H′ steps taken.
    public let stepCount: Int
    /// The trainer's batch-sampling stream.
    public let trainerRandom: SplitMix64
    /// The demonstrations' instance stream.
    public let random: SplitMix64
    public let schedule: DemonstrationSchedule
    public let latestAccuracy: ActionAccuracy?
    public let pausedSteps: Int

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

    public static func == (left: AskerState, right: AskerState) -> Bool {
        left.model == right.model && left.optimizer == right.optimizer && left.buffer == right.buffer
            && left.nextSlot == right.nextSlot && left.stepCount == right.stepCount
            && left.trainerRandom == right.trainerRandom && left.random == right.random && left.schedule == right.schedule
            && left.latestAccuracy == right.latestAccuracy && left.pausedSteps == right.pausedSteps
    }
}
