/// The parameters of wildcard search (reference §3.3).
public struct WildcardSearchConfiguration: Codable, Sendable, Hashable {
    /// Strings in the context at full size. Default 16: every string of length 4 (§9).
    public var size: Int = 16
    /// Strings at the start of the curriculum. Default 8: half the full size.
    public var minimumSize: Int = 8
    /// Letters per string. Default 4: 16 possible strings, depths 0 to 3 (§9, "wildcard length 4").
    public var stringLength: Int = 4
    /// Letters in the alphabet. Default 2: {a, b}, as the reference.
    public var letterCount: Int = 2
    /// Sums are clamped to ±sumBound. Default 8: ceil(size / 2), the reference's rule.
    public var sumBound: Int = 8

    public init(size: Int = 16, minimumSize: Int = 8, stringLength: Int = 4, letterCount: Int = 2, sumBound: Int = 8) {
        self.size = size
        self.minimumSize = minimumSize
        self.stringLength = stringLength
        self.letterCount = letterCount
        self.sumBound = sumBound
    }

    /// Unit tests: 6 of the 8 strings of length 3.
    public static let tiny = Self(size: 6, minimumSize: 4, stringLength: 3, letterCount: 2, sumBound: 3)
    /// The default demo: all 16 strings of length 4.
    public static let small = Self()
    /// The published configuration: 64 strings of length 6 over {a, b}, sums clamped to ±32.
    public static let paper = Self(size: 64, minimumSize: 8, stringLength: 6, letterCount: 2, sumBound: 32)

    /// What is wrong with these parameters, or `nil` when a task can be built from them.
    public var problem: String? {
        if !(1...26).contains(letterCount) { return "letterCount must be in 1...26, got \(letterCount)" }
        if stringLength < 1 || stringLength > 10 { return "stringLength must be in 1...10, got \(stringLength)" }
        let strings = (0..<stringLength).reduce(1) { product, _ in product * letterCount }
        if strings > 65_536 { return "\(letterCount)^\(stringLength) = \(strings) strings; at most 65,536 are supported" }
        if minimumSize < 1 || minimumSize > size { return "need 1 ≤ minimumSize ≤ size, got \(minimumSize) and \(size)" }
        if size > strings { return "size \(size) exceeds the \(strings) strings of length \(stringLength) from \(letterCount) letters" }
        if sumBound < 1 || sumBound > 1000 { return "sumBound must be in 1...1000, got \(sumBound)" }
        return nil
    }
}
