/// A question or an answer as the engine carries it: one of the five tasks' token sequences, or
/// UTF-8 text (free-text questions, a person's or a language model's words).
///
/// Which of the two a domain reads is the domain's rule (``Kind``); the engine only carries,
/// compares and stores content. It is one word wide, like the `Tokens` it wraps (text is held as
/// its UTF-8 bytes, not as a `String`, which would make it two words and every workspace of the
/// tasks' fast path larger), so wrapping a task's tokens costs nothing.
///
/// ```swift
/// let question: Content = [3, 4, 2, 1]            // tokens
/// let fact: Content = "The meeting is on Tuesday."  // text
/// question.tokens    // [3, 4, 2, 1]
/// fact.text          // "The meeting is on Tuesday."
/// ```
///
/// Encoded as a JSON array of token ids or as a JSON string, so stored token content reads as it
/// did when it was a plain array.
public struct Content: Hashable, Sendable {
    /// Tokens or text: the closed choice of what content can be.
    public enum Kind: String, Hashable, Sendable, Codable {
        case tokens
        case text
    }

    @usableFromInline
    enum Storage: Sendable {
        case tokens(Tokens)
        /// Valid UTF-8, as built from a `String`.
        case text([UInt8])
    }

    @usableFromInline
    var storage: Storage

    @inlinable
    init(storage: Storage) {
        self.storage = storage
    }

    /// A task's tokens (`.ask(.tokens(question))`).
    @inlinable
    public static func tokens(_ tokens: Tokens) -> Content {
        Content(storage: .tokens(tokens))
    }

    /// UTF-8 text (`.answer(.text("Tuesday"))`).
    public static func text(_ text: String) -> Content {
        Content(storage: .text(Array(text.utf8)))
    }

    public var kind: Kind {
        switch storage {
        case .tokens: .tokens
        case .text: .text
        }
    }

    /// The tokens; empty for text, which a task's domain refuses before any task code reads it.
    @inlinable
    public var tokens: Tokens {
        if case .tokens(let tokens) = storage { return tokens }
        return []
    }

    /// `body` applied to the tokens, read in place; `nil` for text. A domain's checks of every
    /// action of the fast path read tokens so (the ``tokens`` property copies the array out: a
    /// retain and a release).
    @inlinable
    public func withTokens<Result>(_ body: (Tokens) throws -> Result) rethrows -> Result? {
        guard case .tokens(let tokens) = storage else { return nil }
        return try body(tokens)
    }

    /// The text; `nil` for tokens.
    public var text: String? {
        if case .text(let bytes) = storage { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }

    /// The number of tokens, or of UTF-8 bytes of text.
    public var count: Int {
        switch storage {
        case .tokens(let tokens): tokens.count
        case .text(let bytes): bytes.count
        }
    }

    /// A hash that is the same in every process (FNV-1a over the token ids or the bytes), for
    /// the engine's loop checks; Swift's `hashValue` is seeded per process.
    public var fingerprint: Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        switch storage {
        case .tokens(let tokens):
            for token in tokens { hash = (hash ^ UInt64(bitPattern: Int64(token))) &* 0x100_0000_01B3 }
        case .text(let bytes):
            hash = ~hash  // text and tokens of equal values do not collide
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        }
        return Int(truncatingIfNeeded: hash)
    }
}

extension Content {
    // Written out (not synthesized) so that they inline into the engine, which compares questions
    // at every non-leaf sub-question (loops) in another module.
    @inlinable
    public static func == (lhs: Content, rhs: Content) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.tokens(let left), .tokens(let right)): left == right
        case (.text(let left), .text(let right)): left == right
        default: false
        }
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        switch storage {
        case .tokens(let tokens): hasher.combine(tokens)
        case .text(let bytes):
            hasher.combine(-1)
            hasher.combine(bytes)
        }
    }
}

extension Content {
    // Without these, `content == tokens` compiles (both convert to `AnyHashable`) and is always
    // false: a comparison that cannot succeed is a mistake to report, not to run.
    @available(*, unavailable, message: "compare content.tokens with the tokens, or wrap them with .tokens(_:)")
    public static func == (lhs: Content, rhs: Tokens) -> Bool { fatalError() }
    @available(*, unavailable, message: "compare the tokens with content.tokens, or wrap them with .tokens(_:)")
    public static func == (lhs: Tokens, rhs: Content) -> Bool { fatalError() }
    @available(*, unavailable, message: "compare content.tokens with the tokens, or wrap them with .tokens(_:)")
    public static func != (lhs: Content, rhs: Tokens) -> Bool { fatalError() }
    @available(*, unavailable, message: "compare the tokens with content.tokens, or wrap them with .tokens(_:)")
    public static func != (lhs: Tokens, rhs: Content) -> Bool { fatalError() }
}

extension Content: ExpressibleByArrayLiteral {
    public init(arrayLiteral tokens: Int...) {
        storage = .tokens(tokens)
    }
}

extension Content: ExpressibleByStringLiteral {
    public init(stringLiteral text: String) {
        self = .text(text)
    }
}

extension Content: CustomStringConvertible {
    /// Tokens as an array (`[3, 4]`), text quoted (`"Tuesday"`): messages must tell them apart.
    public var description: String {
        switch storage {
        case .tokens(let tokens): tokens.description
        case .text: text!.debugDescription
        }
    }
}

extension Content: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .tokens(try container.decode(Tokens.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch storage {
        case .tokens(let tokens): try container.encode(tokens)
        case .text: try container.encode(text!)
        }
    }
}
