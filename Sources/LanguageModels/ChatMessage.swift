/// One message of a chat with a language model, as the OpenAI-compatible chat-completions API
/// takes it.
public struct ChatMessage: Hashable, Sendable, Codable {
    /// Who speaks: the closed choice of the API's roles that ida sends.
    public enum Role: String, Hashable, Sendable, Codable {
        case system
        case user
        case assistant
    }

    public var role: Role
    public var content: String

    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}

/// One request for a completion: the messages and every parameter that changes the reply (so
/// the response cache keys on all of them).
public struct ChatRequest: Hashable, Sendable, Codable {
    public var messages: [ChatMessage]
    /// Sampling temperature (0: the most likely tokens; what ida's runs use by default, so they
    /// repeat).
    public var temperature: Double
    /// The longest reply, in the model's tokens.
    public var maximumTokens: Int
    /// Which sample of the same request this is (0, 1, …): a run that wants several different
    /// replies to one prompt asks for different samples, so the cache keeps them apart.
    public var sample: Int

    public init(messages: [ChatMessage], temperature: Double = 0, maximumTokens: Int = 256, sample: Int = 0) {
        self.messages = messages
        self.temperature = temperature
        self.maximumTokens = maximumTokens
        self.sample = sample
    }
}

/// A model's reply and what it cost.
public struct ChatReply: Hashable, Sendable, Codable {
    /// Why the model stopped, kept with the reply (a reply cut at `length` is read like any
    /// other: if it is no action, it goes back as malformed).
    public enum FinishReason: String, Hashable, Sendable, Codable {
        /// It finished its reply (or met a stop sequence).
        case stop
        /// It ran into the request's `maximumTokens`: the reply is cut short.
        case length
        /// Anything else the server said (a content filter, a tool call).
        case other
    }

    public var content: String
    public var promptTokens: Int
    public var completionTokens: Int
    public var finishReason: FinishReason

    public init(content: String, promptTokens: Int, completionTokens: Int, finishReason: FinishReason) {
        self.content = content
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.finishReason = finishReason
    }
}

/// A language model behind some endpoint: the HTTP client of an OpenAI-compatible server, the
/// response cache in front of one, or a test's stand-in. Everything above it (the supervisor,
/// the assistant) speaks only this, so no module but the client's imports HTTP.
public protocol ChatModel: Sendable {
    /// Where the model is served (a base URL), and the model's name there: with the request, what
    /// a cached reply is keyed by.
    var endpoint: String { get }
    var model: String { get }

    /// The model's reply to `request`.
    func complete(_ request: ChatRequest) async throws -> ChatReply
}
