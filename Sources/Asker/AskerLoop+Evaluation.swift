import Amplification
import NeuralNetworks
import Tasks

extension AskerLoop {
    /// Held-out transcripts for measuring H′'s action accuracy: the scripted expert on every
    /// question of `instances`, its sub-questions answered from ground truth, so each transcript
    /// is the expert's exact decomposition.
    ///
    /// Evaluation only, like the held-out evaluation of X: these expert actions are not expert
    /// calls of the run (they train nothing) and the ground truth is not a training label.
    /// Workspaces longer than the layout's rounds are dropped.
    ///
    /// - Throws: what the amplification throws.
    public static func heldOutTranscripts(
        task: any AmplificationTask, instances: [TaskInstance], budget: AmplificationBudget, seed: UInt64
    ) async throws -> [Transcript] {
        let queries = AssistantQuery.mainQuestions(of: instances, seed: seed)
        let amplifier = Amplifier(
            task: task, supervisor: ScriptedExpert(task: task), assistant: GroundTruthAssistant(),
            configuration: AmplifierConfiguration(budget: budget, groundTruth: .allowed))
        let result = try await amplifier.run(queries, contexts: InstanceContext.contexts(for: instances, task: task))
        let layout = TranscriptLayout(task: task)
        return zip(result.workspaces, result.answers).compactMap { Transcript(workspace: $0, answer: $1, layout: layout) }
    }

    /// H′'s teacher-forced action accuracy on `transcripts`, or nil when there are none.
    public func accuracy(on transcripts: [Transcript]) -> ActionAccuracy? {
        transcripts.isEmpty ? nil : ActionAccuracy.measure(model: model, on: transcripts)
    }

    /// What H′'s side of the run has done so far, with `heldOutAccuracy` as measured by the
    /// caller (``accuracy(on:)`` on ``heldOutTranscripts(task:instances:budget:seed:)``).
    public func report(heldOutAccuracy: ActionAccuracy?) -> AskerReport {
        AskerReport(
            heldOutAccuracy: heldOutAccuracy, latestAccuracy: latestAccuracy, demonstrations: schedule.generated,
            expertCalls: schedule.expertCalls, steps: trainer.stepCount, pausedSteps: pausedSteps, rate: schedule.rate,
            freshLossAverage: schedule.lossAverage)
    }
}
