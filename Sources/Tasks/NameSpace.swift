/// The element names of a task: `nameLength` letters from an alphabet of `letterCount`, whose
/// token ids start at `firstLetter`.
///
/// Name index `i` is `i` written in base `letterCount`, most significant letter first, so the
/// index order is the lexicographic order of the names (the reference's "lowest-index vertex").
public struct NameSpace: Hashable, Sendable, Codable {
    public let letterCount: Int
    public let nameLength: Int
    /// The token id of the letter `a`.
    public let firstLetter: Int

    /// - Precondition: `1 ≤ letterCount ≤ 26`, `nameLength ≥ 1`, `firstLetter ≥ 1`.
    public init(letterCount: Int, nameLength: Int, firstLetter: Int) {
        precondition((1...26).contains(letterCount), "NameSpace: letterCount must be in 1...26, got \(letterCount)")
        precondition(nameLength >= 1, "NameSpace: nameLength must be at least 1, got \(nameLength)")
        precondition(firstLetter >= 1, "NameSpace: firstLetter must be at least 1 (0 is ?), got \(firstLetter)")
        self.letterCount = letterCount
        self.nameLength = nameLength
        self.firstLetter = firstLetter
    }

    /// The number of distinct names, `letterCount ^ nameLength`.
    public var nameCount: Int {
        (0..<nameLength).reduce(1) { product, _ in product * letterCount }
    }

    /// The letter strings `a`, `b`, … in token order.
    public var letterStrings: [String] {
        Self.letters(letterCount)
    }

    /// The first `count` lower-case letters.
    public static func letters(_ count: Int) -> [String] {
        (0..<count).map { String(UnicodeScalar(UInt8(97 + $0))) }
    }

    /// Whether `token` is a letter.
    @inlinable
    public func isLetter(_ token: Int) -> Bool {
        token >= firstLetter && token < firstLetter + letterCount
    }

    /// The index of the name at `start` in `tokens`, or `nil` when those `nameLength` tokens are
    /// not all letters (or run past the end).
    @inlinable
    public func index(in tokens: Tokens, at start: Int) -> Int? {
        guard start >= 0, start + nameLength <= tokens.count else { return nil }
        var index = 0
        for position in start..<(start + nameLength) {
            let token = tokens[position]
            guard isLetter(token) else { return nil }
            index = index * letterCount + (token - firstLetter)
        }
        return index
    }

    /// Appends the letters of name `index` to `tokens`.
    ///
    /// - Precondition: `0 ≤ index < nameCount`.
    @inlinable
    public func append(name index: Int, to tokens: inout Tokens) {
        precondition(index >= 0 && index < nameCount, "NameSpace: name index \(index) outside 0..<\(nameCount)")
        var divisor = 1
        for _ in 1..<max(nameLength, 1) { divisor *= letterCount }
        var rest = index
        for _ in 0..<nameLength {
            tokens.append(firstLetter + rest / divisor)
            rest %= divisor
            divisor = max(divisor / letterCount, 1)
        }
    }

    /// The letters of name `index`.
    public func tokens(ofName index: Int) -> Tokens {
        var tokens: Tokens = []
        tokens.reserveCapacity(nameLength)
        append(name: index, to: &tokens)
        return tokens
    }

    /// `size` distinct name indices drawn uniformly without replacement.
    ///
    /// - Precondition: `0 ≤ size ≤ nameCount`.
    public func sampleDistinct(_ size: Int, using rng: inout some RandomNumberGenerator) -> [Int] {
        precondition(size >= 0 && size <= nameCount, "NameSpace.sampleDistinct: \(size) names requested, only \(nameCount) exist")
        var pool = Array(0..<nameCount)
        for position in 0..<size {
            let pick = Int.random(in: position..<pool.count, using: &rng)
            pool.swapAt(position, pick)
        }
        return Array(pool.prefix(size))
    }
}
