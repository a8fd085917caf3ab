/// The parameters of sequential assignments (reference §3.2).
public struct SequentialAssignmentsConfiguration: Codable, Sendable, Hashable {
    /// Variables at full size. Default 10: the reference's CPU suggestion (§9, "10 vars").
    public var size: Int = 10
    /// Variables at the start of the curriculum. Default 6: about half the full size.
    public var minimumSize: Int = 6
    /// Letters in the name alphabet. Default 10: one 1-letter name per variable.
    public var letterCount: Int = 10
    /// Letters per name. Default 1: 1-token names (§9).
    public var nameLength: Int = 1
    /// Value tokens. Default 4: the reference's CPU suggestion (§9, "4 values").
    public var valueCount: Int = 4

    public init(size: Int = 10, minimumSize: Int = 6, letterCount: Int = 10, nameLength: Int = 1, valueCount: Int = 4) {
        self.size = size
        self.minimumSize = minimumSize
        self.letterCount = letterCount
        self.nameLength = nameLength
        self.valueCount = valueCount
    }

    /// Unit tests: 5 variables (2 base), 3 values.
    public static let tiny = Self(size: 5, minimumSize: 4, letterCount: 5, nameLength: 1, valueCount: 3)
    /// The default demo: 10 variables (3 base), 4 values.
    public static let small = Self()
    /// The published configuration: 64 variables named by 2 of 8 letters, 8 values, from 8.
    public static let paper = Self(size: 64, minimumSize: 8, letterCount: 8, nameLength: 2, valueCount: 8)

    /// What is wrong with these parameters, or `nil` when a task can be built from them.
    public var problem: String? {
        if let problem = NameSpace.problem(
            letterCount: letterCount, nameLength: nameLength, size: size, minimumSize: minimumSize
        ) { return problem }
        if valueCount < 1 || valueCount > 100 { return "valueCount must be in 1...100, got \(valueCount)" }
        return nil
    }
}
