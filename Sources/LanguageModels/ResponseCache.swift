import Foundation

/// Replies kept by the exact request that got them, so a second identical run makes no request
/// and gets the same replies (the store keeps them: `SQLiteStore` implements it).
public protocol ResponseCache: Sendable {
    /// The reply stored under `key`, if any.
    func cachedReply(for key: String) async throws -> ChatReply?
    /// Keeps `reply` under `key`; an existing entry stays as it is.
    func cache(_ reply: ChatReply, for key: String) async throws
}

extension ChatRequest {
    /// What a reply is cached by: the endpoint, the model, the messages and every parameter, as
    /// one canonical JSON text (keys sorted), so that nothing that changes the reply is left out
    /// and equal requests give equal keys in every process.
    public func cacheKey(endpoint: String, model: String) -> String {
        struct Key: Encodable {
            let endpoint: String
            let model: String
            let request: ChatRequest
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, numbers and enums of raw strings cannot fail.
        let data = try! encoder.encode(Key(endpoint: endpoint, model: model, request: self))
        return String(decoding: data, as: UTF8.self)
    }
}

/// A model with the response cache in front: a request seen before is answered from the cache
/// (counted as a cached reply, not a request, and free of the budget); any other is granted by
/// the meter, sent, counted, and cached.
///
/// A request equal to one still in flight waits for that one's reply instead of being sent
/// again: two workspaces that show the model the same prompt must get the same reply, or the
/// cache, which keeps the first, replays a different tree. Servers are not always deterministic:
/// against llama.cpp's at temperature 0, a rerun from the cache grew a different tree until equal
/// requests in flight shared one reply.
public struct CachedChatModel: ChatModel {
    public let base: any ChatModel
    public let cache: (any ResponseCache)?
    public let meter: UsageMeter
    private let inFlight = InFlightRequests()

    /// - Parameter cache: `nil`: every request is sent (and metered).
    public init(_ base: any ChatModel, cache: (any ResponseCache)?, meter: UsageMeter) {
        self.base = base
        self.cache = cache
        self.meter = meter
    }

    public var endpoint: String { base.endpoint }
    public var model: String { base.model }

    public func complete(_ request: ChatRequest) async throws -> ChatReply {
        guard let cache else { return try await send(request, key: nil) }
        let key = request.cacheKey(endpoint: endpoint, model: model)
        let (task, shared) = await inFlight.task(for: key) {
            if let reply = try await cache.cachedReply(for: key) { return (reply, true) }
            return (try await send(request, key: key), false)
        }
        let (reply, cached) = try await task.value
        // Whoever did not send the request got a reply it did not pay for.
        if cached || shared { meter.record { $0.cachedReplies += 1 } }
        return reply
    }

    /// Sends `request` within the budget, counts its tokens, and caches the reply under `key`.
    private func send(_ request: ChatRequest, key: String?) async throws -> ChatReply {
        try meter.grantRequest()
        let reply = try await base.complete(request)
        meter.record {
            $0.promptTokens += reply.promptTokens
            $0.completionTokens += reply.completionTokens
        }
        if let key { try await cache?.cache(reply, for: key) }
        return reply
    }
}

/// The lookups and requests under way, by key, so that equal ones share one.
private actor InFlightRequests {
    private var tasks: [String: Task<(ChatReply, Bool), any Error>] = [:]

    /// The task answering `key`: the one under way (`shared`), or a new one running `body`.
    func task(for key: String, _ body: @escaping @Sendable () async throws -> (ChatReply, Bool)) -> (
        task: Task<(ChatReply, Bool), any Error>, shared: Bool
    ) {
        if let task = tasks[key] { return (task, true) }
        let task = Task {
            defer { Task { await self.finished(key) } }
            return try await body()
        }
        tasks[key] = task
        return (task, false)
    }

    private func finished(_ key: String) {
        tasks[key] = nil
    }
}
