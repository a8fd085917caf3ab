import Amplification
import Foundation
import Tasks

/// An assistant that passes every call on to another one and records each batch: the queries,
/// and so the batch sizes (one call per turn is what the engine promises).
// Safe: `wrapped` is Sendable and immutable; `batches` is touched only under `lock`, never held
// across an `await`.
public final class RecordingAssistant: Assistant, @unchecked Sendable {
    public let wrapped: any Assistant
    private let lock = NSLock()
    private var batches: [[AssistantQuery]] = []

    public init(wrapping assistant: any Assistant) {
        wrapped = assistant
    }

    public var agent: Agent { wrapped.agent }

    /// The queries of every call, in call order.
    public var recordedBatches: [[AssistantQuery]] {
        lock.withLock { batches }
    }

    /// The number of queries in each call, in call order.
    public var batchSizes: [Int] {
        recordedBatches.map(\.count)
    }

    public func answer(_ queries: [AssistantQuery], contexts: [InstanceContext]) async throws -> [Content] {
        lock.withLock { batches.append(queries) }
        return try await wrapped.answer(queries, contexts: contexts)
    }

    public func reply(to queries: [AssistantQuery], contexts: [InstanceContext], options: ReplyOptions) async throws
        -> AssistantReply
    {
        lock.withLock { batches.append(queries) }
        return try await wrapped.reply(to: queries, contexts: contexts, options: options)
    }
}
