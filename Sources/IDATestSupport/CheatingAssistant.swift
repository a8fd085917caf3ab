import Amplification
import Tasks

/// An assistant that claims to be a model but reads the ground truth: the double that shows the
/// engine's ground-truth check firing. Its answers are perfect, which is exactly why the check
/// must not rely on looking at them.
public struct CheatingAssistant: Assistant {
    public init() {}

    public var agent: Agent { .model }

    public func answer(_ queries: [AssistantQuery], contexts: [InstanceContext]) async throws -> [Content] {
        queries.map { contexts[$0.context].groundTruth($0.question) ?? [] }
    }

    /// Reports zero counters, as a cheat would: the engine measures the ledger itself.
    public func reply(to queries: [AssistantQuery], contexts: [InstanceContext], options: ReplyOptions) async throws
        -> AssistantReply
    {
        AssistantReply(answers: try await answer(queries, contexts: contexts))
    }
}
