/// The name of an answerer that an evaluation scored; an open set spelled as string literals.
///
/// ```swift
/// let record = EvaluationRecord(step: 100, model: .amp, depth: 2, count: 50, correct: 41)
/// let custom: EvaluatedModel = "hch3"
/// ```
public struct EvaluatedModel: RawRepresentable, Codable, Sendable, Hashable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    public var description: String { rawValue }

    /// The distilled model X alone.
    public static let x: EvaluatedModel = "x"
    /// The amplified system Amp(H, X).
    public static let amp: EvaluatedModel = "amp"
    /// The model of the supervised baseline.
    public static let supervised: EvaluatedModel = "supervised"
}
