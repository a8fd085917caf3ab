#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Asker
import Foundation
import NeuralNetworks
import Tasks

extension Distiller {
    /// A resumable snapshot of the whole run (see ``TrainingState``).
    public func state() -> TrainingState {
        TrainingState(
            taskName: task.name, taskSize: task.size, dimensions: student.dimensions, configuration: configuration,
            targets: targets, schedule: schedule, seed: seed, student: Data(student.checkpoint().serialized()),
            teacher: Data(teacher.checkpoint().serialized()), optimizer: Data(optimizer.stateCheckpoint().serialized()),
            teacherAverage: teacherAverage, dataRandom: dataRandom, batchRandom: batchRandom, curriculum: curriculum,
            buffer: buffer, counters: counters, generationCount: generationCount, roundsCompleted: roundsCompleted,
            roundDatasetReady: roundDatasetReady, evaluations: evaluations, roundReports: roundReports,
            asker: asker?.state())
    }

    /// A run continued from `state`: calling ``run(onEvent:)`` then gives exactly what the
    /// original run would have given from that point (with the same `demonstrator`).
    ///
    /// - Throws: ``DistillationError/incompatibleState(_:)`` when the state belongs to another
    ///   task, size or vocabulary, or its models do not load.
    public convenience init(
        task: any AmplificationTask, resuming state: TrainingState, demonstrator: AskerLoop.Demonstrator? = nil
    ) throws(DistillationError) {
        guard state.taskName == task.name, state.taskSize == task.size, state.dimensions == Self.dimensions(of: task)
        else {
            throw .incompatibleState(
                "it was saved for task '\(state.taskName)' size \(state.taskSize) \(state.dimensions), "
                    + "not '\(task.name)' size \(task.size) \(Self.dimensions(of: task))")
        }
        try self.init(
            task: task, configuration: state.configuration, targets: state.targets, schedule: state.schedule,
            seed: state.seed, demonstrator: demonstrator)
        do {
            try student.load(Checkpoint(bytes: Array(state.student)))
            try teacher.load(Checkpoint(bytes: Array(state.teacher)))
            try optimizer.restore(Checkpoint(bytes: Array(state.optimizer)))
        } catch {
            throw .incompatibleState("\(error)")
        }
        guard state.buffer.capacity == buffer.capacity, state.curriculum.fullSize == task.size else {
            throw .incompatibleState("buffer capacity or curriculum size differ from the configuration's")
        }
        if let asker, let saved = state.asker {
            do {
                try asker.restore(saved)
            } catch {
                throw .incompatibleState("H′: \(error)")
            }
        }
        teacherAverage = state.teacherAverage
        dataRandom = state.dataRandom
        batchRandom = state.batchRandom
        curriculum = state.curriculum
        buffer = state.buffer
        counters = state.counters
        generationCount = state.generationCount
        roundsCompleted = state.roundsCompleted
        roundDatasetReady = state.roundDatasetReady
        evaluations = state.evaluations
        roundReports = state.roundReports
    }
}
