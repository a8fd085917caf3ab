import ArgumentParser
import Amplification
import Application
import Foundation
import LLMClient
import LanguageModels
import Store
import Synchronization

/// The language model's endpoint, sampling, budgets, prompts and cache, shared by the commands
/// that call one.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The OpenAI-compatible API's base URL (default: $IDA_LLM_BASE_URL, else http://127.0.0.1:8080/v1). The key, if the endpoint needs one, is read from $IDA_LLM_API_KEY.",
        valueName: "url"))
    var url: String?

    @Option(help: ArgumentHelp("The model's name at the endpoint (default: $IDA_LLM_MODEL).", valueName: "name"))
    var model: String?

    @Option(help: "Sampling temperature (0: the most likely reply, so runs repeat).")
    var temperature = 0.0

    @Option(help: "The longest reply, in the model's tokens.")
    var maxTokens = 128

    @Option(help: "Replies per action or answer: the first, and those after malformed ones.")
    var attempts = 3

    @Option(help: "Requests in flight at once.")
    var concurrency = 4

    @Option(help: "Seconds one request may take before it is retried.")
    var timeout = 120.0

    @Option(help: "Stop the run after this many requests to the model (cached replies are free).")
    var requests: Int?

    @Option(help: "Stop the run after this many prompt and completion tokens.")
    var tokens: Int?

    @Option(help: ArgumentHelp("Prompt templates to use instead of the standard ones (JSON; --print-prompts shows them).", valueName: "file"))
    var prompts: String?

    @Flag(help: "Send every request, and cache nothing (by default replies are cached in the database).")
    var noCache = false

    /// Bad option values, reported in one line.
    enum Problem: Error, CustomStringConvertible {
        case noModel
        case notPositive(option: String, value: String)

        var description: String {
            switch self {
            case .noModel: "name the model: --model NAME, or set IDA_LLM_MODEL"
            case let .notPositive(option, value): "\(option) must be positive, got \(value)"
            }
        }
    }

    func check() throws {
        for (option, value) in [("--max-tokens", maxTokens), ("--attempts", attempts), ("--concurrency", concurrency)]
        where value < 1 {
            throw Problem.notPositive(option: option, value: "\(value)")
        }
        if let requests, requests < 1 { throw Problem.notPositive(option: "--requests", value: "\(requests)") }
        if let tokens, tokens < 1 { throw Problem.notPositive(option: "--tokens", value: "\(tokens)") }
        guard timeout > 0 else { throw Problem.notPositive(option: "--timeout", value: "\(timeout)") }
        _ = try modelName()
    }

    func modelName(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        guard let name = model ?? environment["IDA_LLM_MODEL"], !name.isEmpty else { throw Problem.noModel }
        return name
    }

    var settings: ModelSettings {
        ModelSettings(temperature: temperature, maximumTokens: maxTokens, attempts: attempts, concurrentRequests: concurrency)
    }

    func templates() throws -> PromptTemplates {
        try prompts.map { try PromptTemplates.read(from: URL(fileURLWithPath: $0)) } ?? .standard
    }

    /// The client of the endpoint, counting its retries in `meter`.
    func client(meter: UsageMeter, environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> OpenAICompatibleClient
    {
        let base = url ?? environment["IDA_LLM_BASE_URL"] ?? "http://127.0.0.1:8080/v1"
        return OpenAICompatibleClient(
            .init(baseURL: base, model: try modelName(environment: environment), timeout: timeout,
                  concurrentRequests: concurrency),
            meter: meter, environment: environment)
    }

    /// The model behind the cache (in `store`, unless --no-cache) and the budget, checked first
    /// to be served at the endpoint, so that a wrong URL or model name is one line before any run
    /// is stored.
    func chatModel(meter: UsageMeter, store: any RunStore) async throws -> any ChatModel {
        let client = try client(meter: meter)
        try await client.checkModel()
        return cached(client, meter: meter, store: store)
    }

    /// `model` behind the cache in `store` (unless --no-cache) and the budget.
    func cached(_ model: any ChatModel, meter: UsageMeter, store: any RunStore) -> any ChatModel {
        CachedChatModel(model, cache: noCache ? nil : StoreResponseCache(store: store), meter: meter)
    }

    var budget: ModelBudget { ModelBudget(requests: requests, tokens: tokens) }

    /// The model as the supervisor and as the assistant of `domain`, sharing the cache in `store`
    /// and `meter`.
    func agents(domain: any Domain, meter: UsageMeter, store: any RunStore) async throws
        -> (supervisor: LanguageModelSupervisor, assistant: LanguageModelAssistant)
    {
        Self.agents(
            domain: domain, chat: try await chatModel(meter: meter, store: store), meter: meter, templates: try templates(),
            settings: settings)
    }

    /// `chat` as the supervisor and as the assistant of `domain`.
    static func agents(
        domain: any Domain, chat: any ChatModel, meter: UsageMeter, templates: PromptTemplates, settings: ModelSettings
    ) -> (supervisor: LanguageModelSupervisor, assistant: LanguageModelAssistant) {
        (
            LanguageModelSupervisor(domain: domain, model: chat, meter: meter, templates: templates, settings: settings),
            LanguageModelAssistant(domain: domain, model: chat, meter: meter, templates: templates, settings: settings)
        )
    }
}

extension ModelUsage {
    /// `12 requests (3 cached), 1 830 tokens (1 700 prompt, 130 completion), 1 retry, 0 malformed`.
    var summary: String {
        "\(requests) requests (\(cachedReplies) cached replies), \(tokens) tokens (\(promptTokens) prompt, "
            + "\(completionTokens) completion), \(retries) retries, \(malformedReplies) malformed replies"
            + (abandoned > 0 ? ", \(abandoned) abandoned" : "")
    }
}

/// Runs `body`, which starts or resumes a stored text run and names it through the callback it
/// is given (printed on stderr at once), turning a spent budget into the one line that says how to
/// go on with that run.
func reportingStops<Result>(
    command: String, run known: String? = nil, _ body: (@escaping @Sendable (String) -> Void) async throws -> Result
) async throws -> Result {
    let started = Mutex(known)
    do {
        return try await body { run in
            started.withLock { $0 = run }
            FileHandle.standardError.write(Data("ida \(command): run \(run)\n".utf8))
        }
    } catch let error as LanguageModelError {
        throw CommandError.stopped(run: started.withLock { $0 } ?? "?", reason: "\(error)")
    }
}
