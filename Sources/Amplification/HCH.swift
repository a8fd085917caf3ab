import Tasks

/// HCH_n: the supervisor consulting HCH_{n-1}, with HCH_0 the supervisor alone.
///
/// `HCH(depth: 0)` is the supervisor with leaf lookups only (every non-leaf sub-question is
/// answered unknown by ``ConstantAssistant/unknown(in:)``). `HCH(depth: n)` is one
/// ``Amplifier`` whose supervisor works the main questions and their sub-questions down to depth
/// n, in one tree of workspaces, and whose assistant answers unknown below that. Every turn stays
/// batched: a batched supervisor gets all workspaces ready to act, whatever their depth. With the
/// scripted expert, HCH_n answers every question of depth ≤ n correctly (the staircase).
///
/// ```swift
/// let hch = HCH(task: task, supervisor: ScriptedExpert(task: task), depth: 3)
/// let result = try await hch.amplifier.amplify(instances, seed: 1)
/// ```
public struct HCH: Assistant {
    /// The recursion depth n.
    public let depth: Int
    /// The amplifier that runs HCH_n. Run it directly for results with counters and traces.
    public let amplifier: Amplifier

    /// - Precondition: `depth >= 0`.
    public init(
        task: any AmplificationTask, supervisor: any Supervisor, depth: Int,
        configuration: AmplifierConfiguration = AmplifierConfiguration()
    ) {
        self.init(domain: TaskDomain(task), supervisor: supervisor, depth: depth, configuration: configuration)
    }

    /// HCH_n over any domain's questions (free text, say).
    ///
    /// - Precondition: `depth >= 0`.
    public init(
        domain: any Domain, supervisor: any Supervisor, depth: Int,
        configuration: AmplifierConfiguration = AmplifierConfiguration()
    ) {
        precondition(depth >= 0, "HCH: depth must be non-negative, got \(depth)")
        self.depth = depth
        amplifier = Amplifier(
            domain: domain, supervisors: [supervisor], assistant: ConstantAssistant.unknown(in: domain),
            supervisedDepth: depth, configuration: configuration, name: "HCH_\(depth)")
    }

    public var agent: Agent { amplifier.agent }

    public func answer(_ queries: [AssistantQuery], contexts: [InstanceContext]) async throws -> [Content] {
        try await amplifier.answer(queries, contexts: contexts)
    }

    public func reply(to queries: [AssistantQuery], contexts: [InstanceContext], options: ReplyOptions) async throws
        -> AssistantReply
    {
        try await amplifier.reply(to: queries, contexts: contexts, options: options)
    }
}
