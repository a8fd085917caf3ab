/// The parameters of permutation powering (reference §3.1).
public struct PermutationPoweringConfiguration: Codable, Sendable, Hashable {
    /// Elements at full size. Default 8: the reference's CPU suggestion (§9, permutation N = 8).
    public var size: Int = 8
    /// Elements at the start of the curriculum. Default 4: half the full size, as §9 suggests.
    public var minimumSize: Int = 4
    /// Letters in the name alphabet. Default 8: one 1-letter name per element.
    public var letterCount: Int = 8
    /// Letters per name. Default 1: 1-token names shorten facts and questions (§9).
    public var nameLength: Int = 1
    /// Bits of the exponent k (`log_iters`). Default 4: k ≤ 15, depths 0 to 2 (§9).
    public var exponentBits: Int = 4

    public init(size: Int = 8, minimumSize: Int = 4, letterCount: Int = 8, nameLength: Int = 1, exponentBits: Int = 4) {
        self.size = size
        self.minimumSize = minimumSize
        self.letterCount = letterCount
        self.nameLength = nameLength
        self.exponentBits = exponentBits
    }

    /// Unit tests: 5 elements, k ≤ 7.
    public static let tiny = Self(size: 5, minimumSize: 4, letterCount: 5, nameLength: 1, exponentBits: 3)
    /// The default demo: 8 elements, k ≤ 15.
    public static let small = Self()
    /// The published configuration: 64 elements named by 2 of 8 letters, k ≤ 63, curriculum from 8.
    public static let paper = Self(size: 64, minimumSize: 8, letterCount: 8, nameLength: 2, exponentBits: 6)

    /// What is wrong with these parameters, or `nil` when a task can be built from them.
    public var problem: String? {
        if let problem = NameSpace.problem(
            letterCount: letterCount, nameLength: nameLength, size: size, minimumSize: minimumSize
        ) { return problem }
        if exponentBits < 2 || exponentBits > 20 { return "exponentBits must be in 2...20, got \(exponentBits)" }
        return nil
    }
}
