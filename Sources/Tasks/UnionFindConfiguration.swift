/// The parameters of union find (reference §3.5).
public struct UnionFindConfiguration: Codable, Sendable, Hashable {
    /// Variables at full size. Default 10: the reference's CPU suggestion (§9, "10 vars").
    public var size: Int = 10
    /// Variables at the start of the curriculum. Default 6: about half the full size.
    public var minimumSize: Int = 6
    /// Letters in the name alphabet. Default 10: one 1-letter name per variable.
    public var letterCount: Int = 10
    /// Letters per name. Default 1: 1-token names (§9).
    public var nameLength: Int = 1
    /// Value tokens; an instance uses min(⌊√size⌋, valueCount) of them as classes. Default 3:
    /// the reference's CPU suggestion (§9, "3 values").
    public var valueCount: Int = 3
    /// The most tree neighbours of one variable. Default 3: bounds the parent search (the
    /// expert asks 1 + 2 · maxDegree sub-questions at most) while leaving the trees varied.
    public var maxDegree: Int = 3

    public init(size: Int = 10, minimumSize: Int = 6, letterCount: Int = 10, nameLength: Int = 1, valueCount: Int = 3, maxDegree: Int = 3) {
        self.size = size
        self.minimumSize = minimumSize
        self.letterCount = letterCount
        self.nameLength = nameLength
        self.valueCount = valueCount
        self.maxDegree = maxDegree
    }

    /// Unit tests: 6 variables in at most 2 classes.
    public static let tiny = Self(size: 6, minimumSize: 4, letterCount: 6, nameLength: 1, valueCount: 2, maxDegree: 3)
    /// The default demo: 10 variables in at most 3 classes.
    public static let small = Self()
    /// The published configuration: 64 variables named by 2 of 8 letters, 8 values, from 10.
    /// maxDegree 4 keeps the parent search at 9 sub-questions, the reference's interaction length.
    public static let paper = Self(size: 64, minimumSize: 10, letterCount: 8, nameLength: 2, valueCount: 8, maxDegree: 4)

    /// What is wrong with these parameters, or `nil` when a task can be built from them.
    public var problem: String? {
        if let problem = NameSpace.problem(
            letterCount: letterCount, nameLength: nameLength, size: size, minimumSize: minimumSize
        ) { return problem }
        if valueCount < 1 || valueCount > 100 { return "valueCount must be in 1...100, got \(valueCount)" }
        if maxDegree < 2 || maxDegree > size { return "maxDegree must be in 2...size, got \(maxDegree)" }
        return nil
    }
}
