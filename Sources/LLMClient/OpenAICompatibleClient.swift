import AsyncHTTPClient
import Foundation
import LanguageModels
import NIOCore
import NIOHTTP1

/// A client of the OpenAI-compatible chat-completions API (`POST {base}/chat/completions`), as a
/// hosted API, vLLM, llama.cpp's server and Ollama serve it.
///
/// The API key, when the endpoint needs one, comes from the environment (``apiKeyVariable``) and
/// goes only into the `Authorization` header: it is never stored, logged or printed, and any error
/// text that came back with it in is redacted. Requests time out, are retried with jittered
/// exponential backoff on 408, 429, 5xx, timeouts, lost connections and unreadable bodies (a
/// `Retry-After` in seconds is waited out instead, up to ``Configuration/longestWait``), and at
/// most ``Configuration/concurrentRequests`` are in flight at once.
public struct OpenAICompatibleClient: ChatModel {
    /// Where and how to reach the model.
    public struct Configuration: Hashable, Sendable {
        /// The API's base URL, up to and including `/v1` (`http://127.0.0.1:8080/v1`).
        public var baseURL: String
        public var model: String
        /// How long one attempt may take, in seconds.
        public var timeout: Double
        /// Attempts after the first, for the failures worth retrying.
        public var retries: Int
        /// The first backoff, in seconds; each next one doubles, with jitter of ±50 %.
        public var firstBackoff: Double
        /// The longest wait between attempts (a longer `Retry-After` fails the request).
        public var longestWait: Double
        public var concurrentRequests: Int

        public init(
            baseURL: String, model: String, timeout: Double = 120, retries: Int = 4, firstBackoff: Double = 0.5,
            longestWait: Double = 60, concurrentRequests: Int = 4
        ) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.model = model
            self.timeout = timeout
            self.retries = retries
            self.firstBackoff = firstBackoff
            self.longestWait = longestWait
            self.concurrentRequests = max(1, concurrentRequests)
        }
    }

    /// The environment variable the API key is read from.
    public static let apiKeyVariable = "IDA_LLM_API_KEY"

    public let configuration: Configuration
    /// Where retries are counted (the run's meter); `nil`: nowhere.
    public let meter: UsageMeter?
    private let apiKey: String?
    private let gate: RequestGate
    private let client: HTTPClient

    /// - Parameter environment: where the key is read from (the process's, by default).
    public init(
        _ configuration: Configuration, meter: UsageMeter? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.configuration = configuration
        self.meter = meter
        apiKey = environment[Self.apiKeyVariable].flatMap { $0.isEmpty ? nil : $0 }
        gate = RequestGate(limit: configuration.concurrentRequests)
        client = Self.sharedClient
    }

    /// One HTTP client for the process (never shut down, as it lives as long as the process).
    /// A connection that cannot be made fails its attempt at once rather than being tried again
    /// until the request's deadline (AsyncHTTPClient's default): the attempts, their backoff and
    /// their count are this client's, and an endpoint nobody listens on is reported in seconds.
    private static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    public var endpoint: String { configuration.baseURL }
    public var model: String { configuration.model }

    public func complete(_ request: ChatRequest) async throws -> ChatReply {
        let body = try JSONEncoder().encode(
            CompletionBody(
                model: configuration.model, messages: request.messages, temperature: request.temperature,
                maxTokens: request.maximumTokens))
        let data = try await send(path: "/chat/completions", method: .POST, body: body)
        guard let reply = Self.reply(from: data) else {
            throw LLMClientError.malformedResponse(endpoint: endpoint, excerpt: redacted(Self.excerpt(data)))
        }
        return reply
    }

    /// The names of the models the endpoint serves (`GET {base}/models`).
    public func availableModels() async throws -> [String] {
        let data = try await send(path: "/models", method: .GET, body: nil)
        guard let list = try? JSONDecoder().decode(ModelList.self, from: data) else {
            throw LLMClientError.malformedResponse(endpoint: endpoint, excerpt: redacted(Self.excerpt(data)))
        }
        return list.data.map(\.id)
    }

    /// Checks that the endpoint answers and serves ``model``: the one-line error a command shows
    /// before a run starts, rather than after its first workspace. An endpoint without a list of
    /// models (a 404 there) is let through: its first completion will say.
    public func checkModel() async throws {
        let models: [String]
        do {
            models = try await availableModels()
        } catch LLMClientError.status(404, _, _), LLMClientError.unknownModel(_, _, []) {
            return
        }
        guard models.contains(configuration.model) else {
            throw LLMClientError.unknownModel(configuration.model, endpoint: endpoint, available: models)
        }
    }

    // MARK: - Sending

    /// One request, retried as the configuration says; the body of its 2xx response.
    private func send(path: String, method: HTTPMethod, body: Data?) async throws -> Data {
        var attempt = 0
        while true {
            let outcome = await gate.run { await attemptOnce(path: path, method: method, body: body) }
            switch outcome {
            case .success(let data):
                return data
            case .failure(let failure):
                guard failure.retryable, attempt < configuration.retries else { throw failure.error }
                let wait = failure.retryAfter ?? backoff(attempt)
                guard wait <= configuration.longestWait else { throw failure.error }
                attempt += 1
                meter?.record { $0.retries += 1 }
                try await Task.sleep(for: .seconds(wait))
            }
        }
    }

    /// The wait before retry `attempt + 1`: the first backoff doubled per attempt, ±50 % at random.
    private func backoff(_ attempt: Int) -> Double {
        let base = configuration.firstBackoff * pow(2, Double(attempt))
        return min(configuration.longestWait, base * Double.random(in: 0.5..<1.5))
    }

    private struct Failure: Error {
        var error: LLMClientError
        var retryable: Bool
        var retryAfter: Double?
    }

    private func attemptOnce(path: String, method: HTTPMethod, body: Data?) async -> Result<Data, Failure> {
        var request = HTTPClientRequest(url: configuration.baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer " + apiKey) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let deadline = NIODeadline.now() + .milliseconds(Int64(configuration.timeout * 1000))
        do {
            let response = try await client.execute(request, deadline: deadline)
            let buffer = try await response.body.collect(upTo: 16 << 20)
            let data = Data(buffer.readableBytesView)
            let status = Int(response.status.code)
            if (200..<300).contains(status) {
                // A body cut off or garbled in transit is worth another attempt; the caller reads it.
                if method == .POST && Self.reply(from: data) == nil {
                    return .failure(
                        Failure(
                            error: .malformedResponse(endpoint: endpoint, excerpt: redacted(Self.excerpt(data))),
                            retryable: true))
                }
                return .success(data)
            }
            let message = redacted(Self.errorMessage(data))
            if status == 404, message.lowercased().contains("model") {
                return .failure(
                    Failure(error: .unknownModel(configuration.model, endpoint: endpoint, available: []), retryable: false))
            }
            let retryable = status == 408 || status == 429 || status >= 500
            let retryAfter = response.headers.first(name: "Retry-After").flatMap(Double.init)
            return .failure(
                Failure(error: .status(status, endpoint: endpoint, message: message), retryable: retryable, retryAfter: retryAfter))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return .failure(Failure(error: .timedOut(endpoint: endpoint, seconds: configuration.timeout), retryable: true))
        } catch {
            return .failure(Failure(error: .unreachable(endpoint: endpoint, reason: redacted("\(error)")), retryable: true))
        }
    }

    // MARK: - Reading

    static func reply(from data: Data) -> ChatReply? {
        guard let completion = try? JSONDecoder().decode(Completion.self, from: data),
            let choice = completion.choices.first, let content = choice.message.content
        else { return nil }
        let finish: ChatReply.FinishReason =
            switch choice.finishReason {
            case "stop", nil: .stop
            case "length": .length
            default: .other
            }
        return ChatReply(
            content: content, promptTokens: completion.usage?.promptTokens ?? 0,
            completionTokens: completion.usage?.completionTokens ?? 0, finishReason: finish)
    }

    /// The server's own error message (`{"error": {"message": …}}`), or the start of the body.
    static func errorMessage(_ data: Data) -> String {
        if let error = try? JSONDecoder().decode(ErrorBody.self, from: data), let message = error.error.message {
            return String(message.prefix(200))
        }
        return excerpt(data)
    }

    static func excerpt(_ data: Data) -> String {
        let text = String(decoding: data.prefix(200), as: UTF8.self)
        return text.replacingOccurrences(of: "\n", with: " ")
    }

    /// `text` with the API key, should a server have echoed it, replaced.
    private func redacted(_ text: String) -> String {
        guard let apiKey else { return text }
        return text.replacingOccurrences(of: apiKey, with: "[redacted]")
    }

    private struct CompletionBody: Encodable {
        let model: String
        let messages: [ChatMessage]
        let temperature: Double
        let maxTokens: Int

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature
            case maxTokens = "max_tokens"
        }
    }

    private struct Completion: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                let content: String?
            }
            let message: Message
            let finishReason: String?

            enum CodingKeys: String, CodingKey {
                case message
                case finishReason = "finish_reason"
            }
        }
        struct Usage: Decodable {
            let promptTokens: Int?
            let completionTokens: Int?

            enum CodingKeys: String, CodingKey {
                case promptTokens = "prompt_tokens"
                case completionTokens = "completion_tokens"
            }
        }
        let choices: [Choice]
        let usage: Usage?
    }

    private struct ModelList: Decodable {
        struct Model: Decodable {
            let id: String
        }
        let data: [Model]
    }

    private struct ErrorBody: Decodable {
        struct Detail: Decodable {
            let message: String?
        }
        let error: Detail
    }
}

/// Why a request to the model's endpoint failed, in one line (never with the key).
public enum LLMClientError: Error, Hashable, Sendable, CustomStringConvertible {
    case unreachable(endpoint: String, reason: String)
    case timedOut(endpoint: String, seconds: Double)
    case status(Int, endpoint: String, message: String)
    case unknownModel(String, endpoint: String, available: [String])
    case malformedResponse(endpoint: String, excerpt: String)

    public var description: String {
        switch self {
        case .unreachable(let endpoint, let reason):
            "cannot reach the model endpoint \(endpoint): \(reason)"
        case .timedOut(let endpoint, let seconds):
            "the model endpoint \(endpoint) did not answer within \(Self.seconds(seconds))"
        case .status(let status, let endpoint, let message):
            "the model endpoint \(endpoint) answered HTTP \(status)" + (message.isEmpty ? "" : ": \(message)")
        case .unknownModel(let model, let endpoint, let available):
            "the model endpoint \(endpoint) does not serve the model \"\(model)\""
                + (available.isEmpty ? "" : " (it serves: \(available.joined(separator: ", ")))")
        case .malformedResponse(let endpoint, let excerpt):
            "the model endpoint \(endpoint) sent a reply that is not a chat completion: \(excerpt)"
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}

/// At most `limit` bodies running at once; the others wait their turn, first come first served.
actor RequestGate {
    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        self.limit = limit
    }

    func run<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        if running >= limit {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            running += 1
        }
        defer {
            if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
        }
        return await body()
    }
}

// Printed or reflected, the client shows where it points, never its key.
extension OpenAICompatibleClient: CustomStringConvertible, CustomReflectable {
    public var description: String { "OpenAICompatibleClient(\(endpoint), model: \(model))" }
    public var customMirror: Mirror { Mirror(self, children: ["endpoint": endpoint, "model": model]) }
}
