/// A task's token strings, indexed by token id, with encoding and decoding between the two.
///
/// Id 0 is always `?` ("unknown", and padding). Strings are short and readable: control tokens
/// in capitals (`D`, `S`, `*`), name letters `a`, `b`, …, numbers `0`, `1`, ….
///
/// ```swift
/// let vocabulary = Vocabulary(["?", "0", "1", "a", "b"])
/// let tokens = try vocabulary.encode(["a", "1"])   // [3, 2]
/// vocabulary.decode(tokens)                        // ["a", "1"]
/// ```
public struct Vocabulary: Hashable, Sendable {
    /// The token strings, indexed by token id.
    public let strings: [String]
    private let ids: [String: Int]

    /// - Precondition: `strings` starts with `?` and holds no duplicates.
    public init(_ strings: [String]) {
        precondition(strings.first == "?", "Vocabulary: token 0 must be \"?\", got \(strings.prefix(1))")
        var ids: [String: Int] = [:]
        for (id, string) in strings.enumerated() {
            precondition(ids[string] == nil, "Vocabulary: duplicate token \"\(string)\" at id \(id)")
            ids[string] = id
        }
        self.strings = strings
        self.ids = ids
    }

    /// The number of tokens.
    public var count: Int { strings.count }

    /// The id of `string`, or `nil` when it is not a token of this vocabulary.
    public func id(of string: String) -> Int? {
        ids[string]
    }

    /// The ids of `strings`.
    ///
    /// - Throws: `TokenizationError.unknownToken` for the first string that is not a token.
    public func encode(_ strings: [String]) throws(TokenizationError) -> Tokens {
        var tokens: Tokens = []
        tokens.reserveCapacity(strings.count)
        for (position, string) in strings.enumerated() {
            guard let id = ids[string] else {
                throw .unknownToken(string, position: position, known: self.strings)
            }
            tokens.append(id)
        }
        return tokens
    }

    /// The strings of `tokens`.
    ///
    /// - Precondition: every id is in `0..<count`.
    public func decode(_ tokens: Tokens) -> [String] {
        tokens.map { id in
            precondition(id >= 0 && id < strings.count, "Vocabulary.decode: token id \(id) outside 0..<\(strings.count)")
            return strings[id]
        }
    }

    /// `tokens` as one line of text, tokens separated by spaces.
    public func render(_ tokens: Tokens) -> String {
        decode(tokens).joined(separator: " ")
    }
}
