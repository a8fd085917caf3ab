import Tasks

/// An assistant X: answers a batch of questions, each about one instance.
///
/// The engine makes one call per turn with every pending sub-question of that turn, so
/// a neural model implements ``answer(_:contexts:)`` as one forward pass: group the queries by
/// `query.context`, encode each instance's facts once, decode every question. `contexts` may hold
/// instances no query refers to.
///
/// ```swift
/// struct Model: Assistant {
///     func answer(_ queries: [AssistantQuery], contexts: [InstanceContext]) async throws -> [Content] {
///         let byInstance = Dictionary(grouping: queries.indices, by: { queries[$0].context })
///         …
///     }
/// }
/// ```
///
/// Kinds: the distilled model, ``Amplifier`` itself (Amp(H, X), which gives ``HCH`` by
/// recursion), ``GroundTruthAssistant`` (tests and the supervised baseline only),
/// ``ConstantAssistant``.
public protocol Assistant: Sendable {
    /// Who it is, as traces and the store record it (`model`, `ground-truth`, `unknown`,
    /// `amplification:HCH_2`).
    var agent: Agent { get }

    /// One answer per query, in order.
    func answer(_ queries: [AssistantQuery], contexts: [InstanceContext]) async throws -> [Content]

    /// The answers with their cost and traces; what the ``Amplifier`` calls. The default wraps
    /// ``answer(_:contexts:)`` with zero counters and no traces.
    func reply(to queries: [AssistantQuery], contexts: [InstanceContext], options: ReplyOptions) async throws
        -> AssistantReply
}

extension Assistant {
    /// The agent's text form, for messages and names (`Amp(expert, unknown)`).
    public var name: String { agent.description }

    public func reply(to queries: [AssistantQuery], contexts: [InstanceContext], options: ReplyOptions) async throws
        -> AssistantReply
    {
        AssistantReply(answers: try await answer(queries, contexts: contexts))
    }
}
