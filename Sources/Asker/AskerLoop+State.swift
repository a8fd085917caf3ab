#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation
import NeuralNetworks

extension AskerLoop {
    /// A snapshot of H′'s side of the run (see ``AskerState``).
    public func state() -> AskerState {
        AskerState(
            model: Data(model.parameterCheckpoint().serialized()),
            optimizer: Data(trainer.optimizer.stateCheckpoint().serialized()), buffer: trainer.buffer,
            nextSlot: trainer.nextSlot, stepCount: trainer.stepCount, trainerRandom: trainer.rng, random: rng,
            schedule: schedule, latestAccuracy: latestAccuracy, pausedSteps: pausedSteps)
    }

    /// Continues from `state`: afterwards this loop demonstrates, trains and acts exactly as the
    /// loop that saved it would have.
    ///
    /// - Throws: ``CheckpointError`` when the weights or Adam's moments do not fit this loop's
    ///   model, a buffered transcript is not of its layout's length, or the schedule's
    ///   constants differ from the configuration's; nothing is changed in that case.
    public func restore(_ state: AskerState) throws(CheckpointError) {
        let weights = try Checkpoint(bytes: Array(state.model))
        let moments = try Checkpoint(bytes: Array(state.optimizer))
        let length = model.layout.transcriptLength
        if let row = state.buffer.firstIndex(where: { $0.count != length }) {
            throw .incompatible("buffered transcript \(row) has \(state.buffer[row].count) tokens, the layout \(length)")
        }
        guard state.buffer.count <= trainer.configuration.bufferCapacity,
            state.nextSlot >= 0, state.nextSlot < max(1, trainer.configuration.bufferCapacity),
            state.schedule.configuration == configuration.schedule
        else {
            throw .incompatible("H′'s buffer or demonstration schedule does not match the configuration")
        }
        let previous = model.parameterCheckpoint()
        try model.loadParameters(weights)
        do {
            try trainer.optimizer.restore(moments)
        } catch {
            try? model.loadParameters(previous)
            throw error
        }
        trainer.buffer = state.buffer
        trainer.nextSlot = state.nextSlot
        trainer.stepCount = state.stepCount
        trainer.rng = state.trainerRandom
        rng = state.random
        schedule = state.schedule
        latestAccuracy = state.latestAccuracy
        pausedSteps = state.pausedSteps
        supervisor.forgetActions()
    }
}
