import Synchronization

/// What a run's language-model calls cost: requests sent, replies read from the cache instead,
/// tokens, retries, and replies that could not be read as what was asked for.
public struct ModelUsage: Hashable, Sendable, Codable {
    /// Requests that reached the endpoint (retries not counted again).
    public var requests = 0
    /// Replies served by the response cache: no request, no tokens spent.
    public var cachedReplies = 0
    public var promptTokens = 0
    public var completionTokens = 0
    /// Requests sent again after a failure the client retries (a 429, a 5xx, a timeout).
    public var retries = 0
    /// Replies that were not an action (or an answer) the domain could read, each sent back to
    /// the model with the reason.
    public var malformedReplies = 0
    /// Workspaces or questions given the unknown answer because every reply was malformed.
    public var abandoned = 0

    public init() {}

    public var tokens: Int { promptTokens + completionTokens }

    /// What was spent between two readings of a meter (`later - earlier`).
    public static func - (lhs: ModelUsage, rhs: ModelUsage) -> ModelUsage {
        var difference = ModelUsage()
        difference.requests = lhs.requests - rhs.requests
        difference.cachedReplies = lhs.cachedReplies - rhs.cachedReplies
        difference.promptTokens = lhs.promptTokens - rhs.promptTokens
        difference.completionTokens = lhs.completionTokens - rhs.completionTokens
        difference.retries = lhs.retries - rhs.retries
        difference.malformedReplies = lhs.malformedReplies - rhs.malformedReplies
        difference.abandoned = lhs.abandoned - rhs.abandoned
        return difference
    }

    enum CodingKeys: String, CodingKey {
        case requests
        case cachedReplies = "cached_replies"
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case retries
        case malformedReplies = "malformed_replies"
        case abandoned
    }
}

/// The most a run may spend on its language models; `nil`: no limit.
public struct ModelBudget: Hashable, Sendable, Codable {
    public var requests: Int?
    /// Prompt and completion tokens together.
    public var tokens: Int?

    public init(requests: Int? = nil, tokens: Int? = nil) {
        self.requests = requests
        self.tokens = tokens
    }

    public static let unlimited = ModelBudget()
}

/// Why a language model was not called.
public enum LanguageModelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The run's budget is spent: the run stops here, and can be resumed with a larger one.
    case budgetSpent(ModelBudget, spent: ModelUsage)

    public var description: String {
        switch self {
        case .budgetSpent(let budget, let spent):
            if let requests = budget.requests, spent.requests >= requests {
                "the run's budget of \(requests) model requests is spent"
            } else {
                "the run's budget of \(budget.tokens ?? 0) model tokens is spent (\(spent.tokens) used)"
            }
        }
    }
}

/// A run's usage as it happens, shared by every model call of the run (concurrent ones
/// included), and the budget it enforces: a request is granted before it is sent.
public final class UsageMeter: Sendable {
    public let budget: ModelBudget
    private let state: Mutex<ModelUsage>

    public init(budget: ModelBudget = .unlimited, spent: ModelUsage = ModelUsage()) {
        self.budget = budget
        state = Mutex(spent)
    }

    /// What was spent so far.
    public var usage: ModelUsage { state.withLock { $0 } }

    /// Counts one request about to be sent.
    ///
    /// - Throws: ``LanguageModelError/budgetSpent(_:spent:)`` when the budget allows no more.
    public func grantRequest() throws {
        try state.withLock { usage in
            let overRequests = budget.requests.map { usage.requests >= $0 } ?? false
            let overTokens = budget.tokens.map { usage.tokens >= $0 } ?? false
            if overRequests || overTokens { throw LanguageModelError.budgetSpent(budget, spent: usage) }
            usage.requests += 1
        }
    }

    /// Adds to the usage (tokens of a reply, a retry, a cached reply, a malformed reply).
    public func record(_ update: (inout ModelUsage) -> Void) {
        state.withLock { update(&$0) }
    }
}
