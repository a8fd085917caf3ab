import SeededRandom

/// Shortest path (reference §3.4): distances and first steps in a random directed graph.
///
/// Facts `[u v]`, one per directed edge (2 per vertex). Questions `[D a b k]` (the distance
/// from a to b if it is at most k, else `inf`) and `[S a b k]` (the lowest-named first step of
/// such a path, else `inf`). Leaves: `[E a b ?]` (`1` if the edge a→b exists) and `[N a i ?…]`
/// (a's i-th distinct out-neighbour in name order). The horizon k makes the expert
/// well-founded: see Documentation/Tasks.md.
public struct ShortestPath: AmplificationTask {
    public let configuration: ShortestPathConfiguration
    public let names: NameSpace
    public let vocabulary: [String]

    static let distanceQuestion = 1
    static let stepQuestion = 2
    static let neighbour = 3
    static let edge = 4
    static let firstNumber = 5

    /// - Precondition: `configuration.problem == nil`.
    public init(_ configuration: ShortestPathConfiguration = .small) {
        precondition(configuration.problem == nil, "ShortestPath: \(configuration.problem ?? "")")
        self.configuration = configuration
        names = NameSpace(letterCount: configuration.letterCount, nameLength: configuration.nameLength, firstLetter: Self.firstNumber + configuration.maxDistance + 2)
        vocabulary = ["?", "D", "S", "N", "E"] + (0...configuration.maxDistance).map(String.init) + ["inf"] + names.letterStrings
    }

    public var name: String { "shortest-path" }
    public var factLength: Int { 2 * names.nameLength }
    public var questionLength: Int { 2 + 2 * names.nameLength }
    public var answerLength: Int { names.nameLength }
    public var interactionLength: Int { max(3, 1 + 2 * configuration.maxOutDegree) }
    public var size: Int { configuration.size }
    public var minimumSize: Int { configuration.minimumSize }

    /// The token `inf`.
    var infinity: Int { Self.firstNumber + configuration.maxDistance + 1 }

    func number(_ token: Int) -> Int? {
        let value = token - Self.firstNumber
        return value >= 0 && value <= configuration.maxDistance ? value : nil
    }

    func numberToken(_ value: Int) -> Int { Self.firstNumber + value }

    /// `[token ?…]` of answer length.
    func single(_ token: Int) -> Tokens { ([token] as Tokens).padded(to: answerLength) }

    /// The first token of `answer` when the rest is `?`.
    func singleToken(_ answer: Tokens) -> Int? {
        guard answer.count == answerLength, answer.dropFirst().allSatisfy({ $0 == 0 }) else { return nil }
        return answer.first
    }

    /// `[kind a b k]`, or `[E a b ?]` for the edge leaf.
    func question(_ kind: Int, _ from: Int, _ to: Int, horizon: Int) -> Tokens {
        var tokens: Tokens = [kind]
        names.append(name: from, to: &tokens)
        names.append(name: to, to: &tokens)
        tokens.append(kind == Self.edge ? 0 : numberToken(horizon))
        return tokens
    }

    /// The leaf `[N a i ?…]`.
    func neighbourQuestion(_ vertex: Int, index: Int) -> Tokens {
        var tokens: Tokens = [Self.neighbour]
        names.append(name: vertex, to: &tokens)
        tokens.append(numberToken(index))
        return tokens.padded(to: questionLength)
    }

    public func makeInstance(size: Int, using rng: inout SplitMix64) -> TaskInstance {
        precondition(size >= 1 && size <= names.nameCount, "ShortestPath.makeInstance: size \(size) outside 1...\(names.nameCount)")
        let vertices = names.sampleDistinct(size, using: &rng)
        var outNeighbours = [Set<Int>](repeating: [], count: size)
        var facts: [Tokens] = []
        while facts.count < 2 * size {
            let from = Int.random(in: 0..<size, using: &rng)
            let to = Int.random(in: 0..<size, using: &rng)
            // Redraw an edge that would give its source more than maxOutDegree distinct targets.
            guard outNeighbours[from].contains(to) || outNeighbours[from].count < configuration.maxOutDegree else { continue }
            outNeighbours[from].insert(to)
            var fact: Tokens = []
            names.append(name: vertices[from], to: &fact)
            names.append(name: vertices[to], to: &fact)
            facts.append(fact)
        }
        let questions = (0..<facts.count).map { _ in
            let kind = Bool.random(using: &rng) ? Self.distanceQuestion : Self.stepQuestion
            let from = vertices[Int.random(in: 0..<size, using: &rng)]
            let to = vertices[Int.random(in: 0..<size, using: &rng)]
            return question(kind, from, to, horizon: Int.random(in: 1...configuration.maxDistance, using: &rng))
        }
        return TaskInstance(size: size, facts: facts, questions: questions)
    }

    public func oracle(for instance: TaskInstance) -> any InstanceOracle {
        ShortestPathOracle(task: self, facts: instance.facts)
    }
}
