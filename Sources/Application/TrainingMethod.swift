import Distillation

/// How `ida run` trains its model (`--method`).
public enum TrainingMethod: Codable, Sendable, Equatable, Hashable {
    /// IA and the supervised baseline side by side (the default).
    case amplification
    /// RLHF: RL against a reward model fitted to E_b's preferences, `lookups` = b.
    case rlhf(lookups: Int)
    /// The same RL with the truth's preferences.
    case rlOracle

    /// Who prefers, for the RL methods.
    public var preferences: PreferenceLearner.Preferences? {
        switch self {
        case .amplification: nil
        case .rlhf(let lookups): .bounded(lookups: lookups)
        case .rlOracle: .oracle
        }
    }

    /// The RL method that learns from `preferences`.
    public init(preferences: PreferenceLearner.Preferences) {
        self = preferences.lookups.map { .rlhf(lookups: $0) } ?? .rlOracle
    }

    /// The method as `--method` spells it.
    public var name: String {
        switch self {
        case .amplification: "ia"
        case .rlhf: "rlhf"
        case .rlOracle: "rl-oracle"
        }
    }

    /// A short label: `IA`, `RLHF E_2`, `RL oracle`.
    public var label: String {
        switch self {
        case .amplification: "IA"
        case .rlhf(let lookups): "RLHF E_\(lookups)"
        case .rlOracle: "RL oracle"
        }
    }
}

extension TrainingMethod {
    private enum CodingKeys: String, CodingKey {
        case name, lookups
    }

    /// `{"name": "rlhf", "lookups": 2}`, `{"name": "rl-oracle"}`, `{"name": "ia"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        if case .rlhf(let lookups) = self { try container.encode(lookups, forKey: .lookups) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .name) {
        case "ia": self = .amplification
        case "rl-oracle": self = .rlOracle
        case "rlhf": self = .rlhf(lookups: try container.decode(Int.self, forKey: .lookups))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .name, in: container, debugDescription: "unknown method \(other)")
        }
    }
}
