/// Who took an action or gave an answer: a supervisor, an assistant, or the engine itself.
///
/// Every action and every answer of a tree records one. Its text form (``description``) is what
/// the store keeps and what `ida trace` prints: `expert`, `h-prime`, `model`, `person:ID`,
/// `llm:MODEL`, `ground-truth`, `unknown`, `amplification:NAME`, `program:NAME`, and the engine's
/// own `leaf-lookup`, `loop` and `budget`.
public enum Agent: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// The task's scripted expert H.
    case expert
    /// H′, the transcript model trained to act like the expert.
    case hPrime
    /// A distilled model: the assistant X of amplification.
    case model
    /// A person, by account id.
    case person(String)
    /// A language model, by model name.
    case llm(String)
    /// The oracle (tests and the supervised baseline; never inside an honest amplification).
    case groundTruth
    /// The assistant that knows nothing: it answers unknown (below HCH_n's depth n).
    case unknown
    /// An amplification used as another's assistant, by name (`HCH_2`).
    case amplification(String)
    /// Any other programmed policy (a test double, a baseline), by name.
    case program(String)
    /// The engine, answering a leaf question with one lookup in the facts.
    case leafLookup
    /// The engine, answering unknown a question that reappeared in its own ancestry.
    case loop
    /// The engine, answering unknown once a budget ran out.
    case budget

    /// Whether the engine itself answered (a lookup, a loop, a spent budget), not an agent it called.
    public var isEngine: Bool {
        switch self {
        case .leafLookup, .loop, .budget: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .expert: "expert"
        case .hPrime: "h-prime"
        case .model: "model"
        case .person(let id): "person:" + id
        case .llm(let model): "llm:" + model
        case .groundTruth: "ground-truth"
        case .unknown: "unknown"
        case .amplification(let name): "amplification:" + name
        case .program(let name): "program:" + name
        case .leafLookup: "leaf-lookup"
        case .loop: "loop"
        case .budget: "budget"
        }
    }

    /// Parses the text form; `nil` for anything else.
    public init?(_ description: String) {
        let simple: [String: Agent] = [
            "expert": .expert, "h-prime": .hPrime, "model": .model, "ground-truth": .groundTruth, "unknown": .unknown,
            "leaf-lookup": .leafLookup, "loop": .loop, "budget": .budget,
        ]
        if let agent = simple[description] {
            self = agent
            return
        }
        guard let colon = description.firstIndex(of: ":") else { return nil }
        let name = String(description[description.index(after: colon)...])
        guard !name.isEmpty else { return nil }
        switch description[..<colon] {
        case "person": self = .person(name)
        case "llm": self = .llm(name)
        case "amplification": self = .amplification(name)
        case "program": self = .program(name)
        default: return nil
        }
    }
}

/// Stored and sent as its text form.
extension Agent: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let agent = Agent(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an agent: \(text)")
        }
        self = agent
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
