import SeededRandom

/// The structure-aware mutations of ``ByteMutator``'s JSON dialect.
///
/// They work on the bytes with a small scanner rather than a parser, so they also apply to
/// inputs that earlier mutations already broke: a member is `"key": value` found by its `":`,
/// a value ends at the matching bracket or quote, or at the next `,`, `]` or `}`.
struct JSONMutation {
    static let kindCount = 7
    let kind: Int

    func apply(to bytes: inout [UInt8], using rng: inout SplitMix64) {
        switch kind {
        case 0: deleteMember(&bytes, &rng)
        case 1: duplicateMember(&bytes, &rng)
        case 2: replaceValue(&bytes, &rng, with: Self.wrongTypes)
        case 3: replaceNumber(&bytes, &rng)
        case 4: nest(&bytes, &rng)
        case 5: insertInString(&bytes, &rng, Self.invalidUTF8)
        default: insertInString(&bytes, &rng, Self.controlCharacters)
        }
    }

    /// Values of every JSON type, some of them strings a message might echo.
    static let wrongTypes: [[UInt8]] = [
        "null", "true", "false", "0", "-1", "1.5", "\"\"", "\"x\"", "[]", "{}", "[[]]", "[[\"a\"]]", "{\"a\":1}",
        "\"line\\nbreak\"", "\"\\u0000\"", "\"ida-instances\"", "\"permutation\"",
    ].map { Array($0.utf8) }

    /// Numbers at and past the limits of `Int` and `Double`, and literals JSON does not allow.
    static let boundaryNumbers: [[UInt8]] = [
        "0", "-1", "1", "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "99999999999999999999999999", "1e309", "-1e309", "1e-400",
        "1.0", "2.5", "-0", "1e2", "NaN", "Infinity", "-Infinity", "0x10", "01",
    ].map { Array($0.utf8) }

    static let invalidUTF8: [[UInt8]] = [
        [0xFF], [0xC3], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
    ]

    /// Raw and escaped line breaks and other characters a one-line message must not carry.
    static let controlCharacters: [[UInt8]] = [
        "\n", "\r", "\t", "\u{0}", "\\n", "\\r\\n", "\\u000a", "\\u0000", "\\u2028", "\\ud800", "\\\"", "\\",
    ].map { Array($0.utf8) }

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    /// The spans `"key": value` of every member, found by their `":`.
    func members(_ bytes: [UInt8]) -> [(key: Int, value: Int, end: Int)] {
        var found: [(key: Int, value: Int, end: Int)] = []
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == Self.quote, bytes[index + 1] == UInt8(ascii: ":"), let start = keyStart(bytes, closingQuote: index) {
                let value = index + 2
                found.append((start, value, valueEnd(bytes, from: value)))
            }
            index += 1
        }
        return found
    }

    private func keyStart(_ bytes: [UInt8], closingQuote: Int) -> Int? {
        var index = closingQuote - 1
        while index >= 0 {
            if bytes[index] == Self.quote, index == 0 || bytes[index - 1] != Self.backslash { return index }
            index -= 1
        }
        return nil
    }

    /// Where the value starting at `start` ends (exclusive); never past the end.
    func valueEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        guard index < bytes.count else { return bytes.count }
        var depth = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == Self.backslash { index += 1 } else if byte == Self.quote { inString = false }
                if !inString, depth == 0 { return index + 1 }
            } else {
                switch byte {
                case Self.quote: inString = true
                case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    if depth == 0 { return index }
                    depth -= 1
                    if depth == 0 { return index + 1 }
                case UInt8(ascii: ","), UInt8(ascii: "\n"):
                    if depth == 0 { return index }
                default: break
                }
            }
            index += 1
        }
        return bytes.count
    }

    private func pick<T>(_ items: [T], _ rng: inout SplitMix64) -> T? {
        items.isEmpty ? nil : items[Int(rng.next() % UInt64(items.count))]
    }

    private func deleteMember(_ bytes: inout [UInt8], _ rng: inout SplitMix64) {
        guard let member = pick(members(bytes), &rng) else { return }
        var end = min(member.end, bytes.count)
        if end < bytes.count, bytes[end] == UInt8(ascii: ",") { end += 1 }
        bytes.removeSubrange(member.key..<end)
    }

    private func duplicateMember(_ bytes: inout [UInt8], _ rng: inout SplitMix64) {
        guard let member = pick(members(bytes), &rng) else { return }
        let end = min(member.end, bytes.count)
        bytes.insert(contentsOf: Array(bytes[member.key..<end]) + [UInt8(ascii: ",")], at: member.key)
    }

    private func replaceValue(_ bytes: inout [UInt8], _ rng: inout SplitMix64, with values: [[UInt8]]) {
        guard let member = pick(members(bytes), &rng), let value = pick(values, &rng) else { return }
        bytes.replaceSubrange(member.value..<min(member.end, bytes.count), with: value)
    }

    private func replaceNumber(_ bytes: inout [UInt8], _ rng: inout SplitMix64) {
        func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        func isNumberByte(_ byte: UInt8) -> Bool { isDigit(byte) || Array("-+.eE".utf8).contains(byte) }
        let digits = bytes.indices.filter { isDigit(bytes[$0]) }
        guard let position = pick(digits, &rng), let literal = pick(Self.boundaryNumbers, &rng) else { return }
        var start = position
        while start > 0, isNumberByte(bytes[start - 1]) { start -= 1 }
        var end = position
        while end < bytes.count, isNumberByte(bytes[end]) { end += 1 }
        bytes.replaceSubrange(start..<end, with: literal)
    }

    /// Wraps a member's value in 2 to 5,000 array brackets: decoders must bound their recursion.
    private func nest(_ bytes: inout [UInt8], _ rng: inout SplitMix64) {
        guard let member = pick(members(bytes), &rng), let depth = pick([2, 32, 513, 5_000], &rng) else { return }
        let end = min(member.end, bytes.count)
        bytes.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "]"), count: depth), at: end)
        bytes.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "["), count: depth), at: member.value)
    }

    /// Inserts one of `pieces` just after an opening or closing quote.
    private func insertInString(_ bytes: inout [UInt8], _ rng: inout SplitMix64, _ pieces: [[UInt8]]) {
        let quotes = bytes.indices.filter { bytes[$0] == Self.quote }
        guard let position = pick(quotes, &rng), let piece = pick(pieces, &rng) else { return }
        bytes.insert(contentsOf: piece, at: position + 1)
    }
}
