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
    /// Bits of the exponent k (`log_iters`). Default 3: k ≤ 7, depths 0 and 1, the lower of §9's
    /// "k ≤ 7 or 15". Measured (Documentation/Training.md): at k ≤ 15 IA reached 99.2 % with seed
    /// 1 but 76.8 % with seed 2 in 15 000 steps, the step at which X first answers depth 0 varying
    /// from 3000 to 12 000 with the seed; at k ≤ 7 half the main questions are depth 0 (a third at
    /// k ≤ 15), and IA reached 100 % (seed 1) and 99.6 % (seed 2) in 12 000 steps.
    public var exponentBits: Int = 3

    public init(size: Int = 8, minimumSize: Int = 4, letterCount: Int = 8, nameLength: Int = 1, exponentBits: Int = 3) {
        self.size = size
        self.minimumSize = minimumSize
        self.letterCount = letterCount
        self.nameLength = nameLength
        self.exponentBits = exponentBits
    }

    /// Unit tests: 5 elements, k ≤ 7.
    public static let tiny = Self(size: 5, minimumSize: 4, letterCount: 5, nameLength: 1, exponentBits: 3)
    /// The default demo: 8 elements, k ≤ 7.
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
