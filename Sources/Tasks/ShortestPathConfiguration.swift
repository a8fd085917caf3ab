/// The parameters of shortest path (reference §3.4).
public struct ShortestPathConfiguration: Codable, Sendable, Hashable {
    /// Vertices at full size (with twice as many directed edges). Default 8: the reference's CPU
    /// suggestion (§9, "graph 8 vertices / 16 edges").
    public var size: Int = 8
    /// Vertices at the start of the curriculum. Default 5: a little over half the full size.
    public var minimumSize: Int = 5
    /// Letters in the name alphabet. Default 8: one 1-letter name per vertex.
    public var letterCount: Int = 8
    /// Letters per name. Default 1: 1-token names (§9).
    public var nameLength: Int = 1
    /// Distances beyond this are `inf`, and it is the largest horizon k of a question. Default 6:
    /// §9 suggests capping around 6 on a CPU (the reference caps at 12).
    public var maxDistance: Int = 6
    /// The most distinct out-neighbours of a vertex. Default 3: bounds the first-step search
    /// (1 + 2 · maxOutDegree sub-questions) and rarely binds with 2 edges per vertex.
    public var maxOutDegree: Int = 3

    public init(size: Int = 8, minimumSize: Int = 5, letterCount: Int = 8, nameLength: Int = 1, maxDistance: Int = 6, maxOutDegree: Int = 3) {
        self.size = size
        self.minimumSize = minimumSize
        self.letterCount = letterCount
        self.nameLength = nameLength
        self.maxDistance = maxDistance
        self.maxOutDegree = maxOutDegree
    }

    /// Unit tests: 5 vertices, 10 edges, distances up to 3.
    public static let tiny = Self(size: 5, minimumSize: 4, letterCount: 5, nameLength: 1, maxDistance: 3, maxOutDegree: 3)
    /// The default demo: 8 vertices, 16 edges, distances up to 6.
    public static let small = Self()
    /// The published configuration: 64 vertices named by 2 of 8 letters, 128 edges, distances
    /// up to 12. maxOutDegree 4 makes the first-step search 9 sub-questions, the reference's
    /// interaction length.
    public static let paper = Self(size: 64, minimumSize: 8, letterCount: 8, nameLength: 2, maxDistance: 12, maxOutDegree: 4)

    /// What is wrong with these parameters, or `nil` when a task can be built from them.
    public var problem: String? {
        if let problem = NameSpace.problem(
            letterCount: letterCount, nameLength: nameLength, size: size, minimumSize: minimumSize
        ) { return problem }
        if maxDistance < 1 || maxDistance > 100 { return "maxDistance must be in 1...100, got \(maxDistance)" }
        if maxOutDegree < 2 || maxOutDegree > maxDistance + 1 {
            return "maxOutDegree must be in 2...maxDistance + 1 (neighbour indices are number tokens), got \(maxOutDegree)"
        }
        return nil
    }
}
