/// A token string that a task's vocabulary does not contain.
public enum TokenizationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `string`, at `position` in the sequence being encoded, is not one of `known`.
    case unknownToken(String, position: Int, known: [String])

    public var description: String {
        switch self {
        case let .unknownToken(string, position, known):
            return "unknown token \"\(string)\" at position \(position); the vocabulary is \(known.joined(separator: " "))"
        }
    }
}
