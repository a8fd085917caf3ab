import Tasks

/// HCH_n: the supervisor consulting HCH_{n-1}, built by recursion on the ``Amplifier``.
///
/// `HCH(depth: 0)` is the supervisor with leaf lookups only (every non-leaf sub-question is
/// answered unknown by ``ConstantAssistant/unknown(answerLength:)``), and `HCH(depth: n)` is
/// `Amplifier(supervisor, assistant: HCH(depth: n - 1))`. Every level stays batched: all the
/// sub-questions of one lock-step step of level n go to level n − 1 in one call. With the
/// scripted expert, HCH_n answers every question of depth ≤ n correctly (the staircase).
///
/// ```swift
/// let hch = HCH(task: task, supervisor: ScriptedExpert(task: task), depth: 3)
/// let result = try await hch.amplifier.amplify(instances, seed: 1)
/// ```
public struct HCH: Assistant {
    /// The recursion depth n.
    public let depth: Int
    /// The top level: Amp(H, HCH_{n-1}). Run it directly for results with counters and traces.
    public let amplifier: Amplifier

    /// - Precondition: `depth >= 0`.
    public init(
        task: any AmplificationTask, supervisor: any Supervisor, depth: Int,
        configuration: AmplifierConfiguration = AmplifierConfiguration()
    ) {
        precondition(depth >= 0, "HCH: depth must be non-negative, got \(depth)")
        self.depth = depth
        var level = Amplifier(
            task: task, supervisor: supervisor, assistant: ConstantAssistant.unknown(answerLength: task.answerLength),
            configuration: configuration, name: "HCH_0")
        for n in stride(from: 1, through: depth, by: 1) {
            level = Amplifier(
                task: task, supervisor: supervisor, assistant: level, configuration: configuration, name: "HCH_\(n)")
        }
        amplifier = level
    }

    public var name: String { amplifier.name }

    public func answer(_ queries: [AssistantQuery], contexts: [InstanceContext]) async throws -> [Tokens] {
        try await amplifier.answer(queries, contexts: contexts)
    }

    public func reply(to queries: [AssistantQuery], contexts: [InstanceContext], options: ReplyOptions) async throws
        -> AssistantReply
    {
        try await amplifier.reply(to: queries, contexts: contexts, options: options)
    }
}
