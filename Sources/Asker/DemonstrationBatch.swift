import Amplification
import NeuralNetworks
import SeededRandom
import Tasks

/// Transcripts of the real expert, with what they cost (reference §5.3).
public struct DemonstrationBatch: Sendable {
    /// One transcript per instance.
    public var transcripts: [Transcript]
    /// Every action the expert took to produce them: the expert calls spent.
    public var expertCalls: Int
    /// Transcripts that did not fit the layout (more exchanges than rounds) and were dropped.
    public var discarded: Int

    public init(transcripts: [Transcript], expertCalls: Int, discarded: Int) {
        self.transcripts = transcripts
        self.expertCalls = expertCalls
        self.discarded = discarded
    }

    /// Demonstrations of `expert` on `instances`: one randomly chosen question per instance is
    /// amplified by `expert` with `assistant` answering its non-leaf sub-questions (the teacher in
    /// the loop, ground truth in tests), and its final workspace with the answer is kept.
    ///
    /// The reference runs H on every question and keeps one transcript per instance; running it
    /// on the kept question only gives the same transcripts and spends only the calls kept.
    /// Expert calls are the run's supervisor actions (with a non-recursive assistant, exactly
    /// the actions recorded in the transcripts).
    public static func generate(
        task: any AmplificationTask, expert: any Supervisor, instances: [TaskInstance], assistant: any Assistant,
        seed: UInt64, configuration: AmplifierConfiguration = .small
    ) async throws -> DemonstrationBatch {
        var rng = SplitMix64(seed: seed)
        var queries: [AssistantQuery] = []
        for (index, instance) in instances.enumerated() where !instance.questions.isEmpty {
            let question = instance.questions[Int(rng.next() % UInt64(instance.questions.count))]
            queries.append(AssistantQuery(context: index, question: .tokens(question), seed: rng.next()))
        }
        let amplifier = Amplifier(task: task, supervisor: expert, assistant: assistant, configuration: configuration)
        let result = try await amplifier.run(queries, contexts: InstanceContext.contexts(for: instances, task: task))
        let layout = TranscriptLayout(task: task)
        let transcripts = zip(result.workspaces, result.answers).compactMap {
            Transcript(workspace: $0, answer: $1, layout: layout)
        }
        return DemonstrationBatch(
            transcripts: transcripts, expertCalls: result.counters.supervisorActions,
            discarded: queries.count - transcripts.count)
    }
}
