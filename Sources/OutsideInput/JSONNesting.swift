/// How deeply JSON text nests arrays and objects, checked before Foundation's `JSONDecoder`
/// sees text from a file.
///
/// Why: Foundation's decoder stops at 512 levels, but when the bracket that passes the limit is
/// the last byte of the text (`String(repeating: "[", count: 513)`), computing the error's
/// line and column reads past the end and traps (Swift 6.3.1, found by `InstanceFileFuzzTests`).
/// No file ida writes nests more than a few levels, so a far lower limit rejects such text
/// with an error instead.
///
/// ```swift
/// JSONNesting.exceeds(JSONNesting.limit, in: Array("[[1]]".utf8))   // false
/// ```
public enum JSONNesting {
    /// Levels a file's JSON may nest: a checkpoint configuration uses 2, a training state under 10.
    public static let limit = 64

    /// Whether `bytes` opens more than `limit` arrays or objects at once (brackets inside
    /// strings do not count). Linear in the bytes, allocates nothing.
    public static func exceeds(_ limit: Int, in bytes: some Sequence<UInt8>) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return false
    }

    /// The message for text that nests deeper than `limit`.
    public static func problem(_ limit: Int = limit) -> String {
        "arrays and objects nest deeper than \(limit) levels"
    }
}
