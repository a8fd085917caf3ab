import SeededRandom

/// A seeded mutator of valid inputs for the fuzz tests of ida's readers: each call to ``next()``
/// takes one of the seeds (or, now and then, plain random bytes) and applies one to four
/// mutations, so most inputs stay close enough to valid to reach the checks deep inside a reader.
///
/// Byte mutations: a bit flip, an overwritten byte, inserted bytes, a deleted or duplicated
/// range, a truncation, a splice of two inputs, and a number or length field replaced by a
/// boundary value (0, -1, `Int32.max`, `Int.max`, `UInt64.max`, NaN, ±infinity). The ``Dialect/json``
/// dialect adds structure-aware mutations of JSON text: a member deleted or duplicated, a value
/// of the wrong type, a decimal number replaced by a boundary literal, deep nesting, invalid
/// UTF-8 and control characters in strings (`JSONMutation`).
///
/// Equal seeds and inputs give equal sequences (the generator is a ``SplitMix64``):
///
/// ```swift
/// var mutator = ByteMutator(seeds: [Array(validLine.utf8)], dialect: .json, seed: 1)
/// for _ in 0..<1_000 { check(mutator.next()) }
/// ```
public struct ByteMutator: Sendable {
    /// How inputs are structured, which decides the mutations on offer.
    public enum Dialect: Sendable {
        /// A binary format with little-endian integer and Float32 fields.
        case binary
        /// JSON text (or JSON Lines).
        case json
    }

    /// The valid inputs mutations start from.
    public let seeds: [[UInt8]]
    public let dialect: Dialect
    var rng: SplitMix64

    /// - Precondition: `seeds` is not empty.
    public init(seeds: [[UInt8]], dialect: Dialect, seed: UInt64) {
        precondition(!seeds.isEmpty, "ByteMutator: needs at least one seed input")
        self.seeds = seeds
        self.dialect = dialect
        rng = SplitMix64(seed: seed)
    }

    /// The next input: random bytes one time in 32, otherwise a seed with 1 to 4 mutations
    /// (fewer more often, so many inputs are one step from valid).
    public mutating func next() -> [UInt8] {
        if rng.next() % 32 == 0 {
            let count = Int(rng.next() % 257)
            return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        }
        var bytes = seeds[Int(rng.next() % UInt64(seeds.count))]
        let rounds = 1 + (rng.next() % 2 == 0 ? 0 : Int(rng.next() % 4))
        for _ in 0..<rounds { mutate(&bytes) }
        return bytes
    }

    /// Applies one mutation to `bytes`, chosen uniformly among the dialect's.
    public mutating func mutate(_ bytes: inout [UInt8]) {
        let byteKinds = 8
        let kinds = dialect == .json ? byteKinds + JSONMutation.kindCount : byteKinds
        let kind = Int(rng.next() % UInt64(kinds))
        switch kind {
        case 0: flipBit(&bytes)
        case 1: overwriteByte(&bytes)
        case 2: insertBytes(&bytes)
        case 3: deleteRange(&bytes)
        case 4: duplicateRange(&bytes)
        case 5: bytes.removeLast(bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count)))
        case 6: splice(&bytes)
        case 7: overwriteWithBoundary(&bytes)
        default: JSONMutation(kind: kind - byteKinds).apply(to: &bytes, using: &rng)
        }
    }

    /// A uniform index in `0..<count`; `count` must be positive.
    mutating func index(below count: Int) -> Int {
        Int(rng.next() % UInt64(count))
    }

    private mutating func flipBit(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        bytes[index(below: bytes.count)] ^= 1 << UInt8(rng.next() % 8)
    }

    private mutating func overwriteByte(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        let interesting: [UInt8] = [0x00, 0x01, 0x0A, 0x7F, 0x80, 0xFF, 0x22, 0x5C]
        let value = rng.next() % 2 == 0 ? interesting[index(below: interesting.count)] : UInt8(truncatingIfNeeded: rng.next())
        bytes[index(below: bytes.count)] = value
    }

    private mutating func insertBytes(_ bytes: inout [UInt8]) {
        let count = 1 + index(below: 8)
        let inserted = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        bytes.insert(contentsOf: inserted, at: index(below: bytes.count + 1))
    }

    /// A range of 1 to 64 bytes inside `bytes`, or nil when it is empty.
    private mutating func randomRange(in bytes: [UInt8]) -> Range<Int>? {
        guard !bytes.isEmpty else { return nil }
        let start = index(below: bytes.count)
        let length = 1 + index(below: min(64, bytes.count - start))
        return start..<(start + length)
    }

    private mutating func deleteRange(_ bytes: inout [UInt8]) {
        guard let range = randomRange(in: bytes) else { return }
        bytes.removeSubrange(range)
    }

    private mutating func duplicateRange(_ bytes: inout [UInt8]) {
        guard let range = randomRange(in: bytes) else { return }
        bytes.insert(contentsOf: bytes[range], at: index(below: bytes.count + 1))
    }

    /// A prefix of `bytes` followed by a suffix of another seed (or of itself).
    private mutating func splice(_ bytes: inout [UInt8]) {
        let other = seeds[index(below: seeds.count)]
        let cut = index(below: bytes.count + 1)
        let from = index(below: other.count + 1)
        bytes = Array(bytes[..<cut]) + other[from...]
    }

    /// Little-endian boundary values for 4- and 8-byte length, count and Float32 fields.
    public static let boundaryWords: [[UInt8]] = {
        func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        let integers32: [UInt32] = [0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFE, 1 << 24]
        let integers64: [UInt64] = [0, 1, UInt64(Int64.max), 1 << 63, UInt64.max, 1 << 31, 1 << 32, 1 << 40, 0x3FFF_FFFF_FFFF_FFFF]
        let floats: [Float] = [.nan, .signalingNaN, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        return integers32.map(le) + integers64.map(le) + floats.map { le($0.bitPattern) }
    }()

    private mutating func overwriteWithBoundary(_ bytes: inout [UInt8]) {
        let word = Self.boundaryWords[index(below: Self.boundaryWords.count)]
        guard bytes.count >= word.count else { return }
        let offset = index(below: bytes.count - word.count + 1)
        bytes.replaceSubrange(offset..<(offset + word.count), with: word)
    }
}
