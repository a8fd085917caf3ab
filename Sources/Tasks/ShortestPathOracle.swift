import SeededRandom

/// The graph of one shortest-path instance, read from its facts, with all distances and the
/// depth of every question precomputed.
///
/// Vertices are numbered in name order; every name that is not an edge endpoint maps to one
/// extra isolated vertex. Distances count at least one edge, so dist(a, a) is the shortest cycle
/// through a (the reference's quirk, kept).
struct ShortestPathOracle: InstanceOracle {
    let task: ShortestPath
    /// Name index → vertex; absent names are the isolated vertex `vertexCount`.
    let vertexOfName: [Int: Int]
    let nameOfVertex: [Int]
    /// Distinct out-neighbours of each vertex, in name order.
    let outNeighbours: [[Int]]
    /// `distance[a][b]`, `Int.max` when b is unreachable from a.
    let distance: [[Int]]
    /// `distanceDepth[k][a][b]` and `stepDepth[k][a][b]` for horizons 1…maxDistance (index 0 unused).
    let distanceDepth: [[[Int]]]
    let stepDepth: [[[Int]]]

    init(task: ShortestPath, facts: [Tokens]) {
        self.task = task
        let names = task.names
        var edges: [(Int, Int)] = []
        for fact in facts where fact.count == task.factLength {
            guard let from = names.index(in: fact, at: 0), let to = names.index(in: fact, at: names.nameLength) else { continue }
            edges.append((from, to))
        }
        let nameOfVertex = Array(Set(edges.flatMap { [$0.0, $0.1] })).sorted()
        let vertexOfName = Dictionary(uniqueKeysWithValues: nameOfVertex.enumerated().map { ($0.element, $0.offset) })
        let count = nameOfVertex.count + 1
        var outSets = [Set<Int>](repeating: [], count: count)
        for (from, to) in edges {
            if let from = vertexOfName[from], let to = vertexOfName[to] { outSets[from].insert(to) }
        }
        let outNeighbours = outSets.map { $0.sorted() }
        var distance = [[Int]](repeating: [Int](repeating: Int.max, count: count), count: count)
        for source in 0..<count {
            var frontier = outNeighbours[source]
            var steps = 1
            while !frontier.isEmpty {
                var next: [Int] = []
                for vertex in frontier where distance[source][vertex] == Int.max {
                    distance[source][vertex] = steps
                    next.append(contentsOf: outNeighbours[vertex])
                }
                frontier = next
                steps += 1
            }
        }
        self.vertexOfName = vertexOfName
        self.nameOfVertex = nameOfVertex
        self.outNeighbours = outNeighbours
        self.distance = distance
        (distanceDepth, stepDepth) = Self.depths(outNeighbours: outNeighbours, distance: distance, maxDistance: task.configuration.maxDistance)
    }

    /// The depth tables, by horizon: both questions need only leaves when the edge exists or
    /// k = 1; S then asks D (k−1) of every out-neighbour, and D asks S at k and D (k−1) from the
    /// first step.
    private static func depths(outNeighbours: [[Int]], distance: [[Int]], maxDistance: Int) -> ([[[Int]]], [[[Int]]]) {
        let count = outNeighbours.count
        let empty = [[Int]](repeating: [Int](repeating: 0, count: count), count: count)
        var distanceDepth = [[[Int]]](repeating: empty, count: maxDistance + 1)
        var stepDepth = distanceDepth
        guard maxDistance >= 2 else { return (distanceDepth, stepDepth) }
        for horizon in 2...maxDistance {
            for from in 0..<count {
                for to in 0..<count where distance[from][to] != 1 {
                    let neighbours = outNeighbours[from]
                    let step = neighbours.map { 1 + distanceDepth[horizon - 1][$0][to] }.max() ?? 0
                    stepDepth[horizon][from][to] = step
                    var deepest = step
                    if let next = firstStep(from, to, horizon: horizon, outNeighbours: outNeighbours, distance: distance) {
                        deepest = max(deepest, distanceDepth[horizon - 1][next][to])
                    }
                    distanceDepth[horizon][from][to] = 1 + deepest
                }
            }
        }
        return (distanceDepth, stepDepth)
    }

    /// The lowest-named out-neighbour that starts a shortest path, when dist(a, b) ≤ horizon.
    private static func firstStep(_ from: Int, _ to: Int, horizon: Int, outNeighbours: [[Int]], distance: [[Int]]) -> Int? {
        let total = distance[from][to]
        guard total <= horizon else { return nil }
        if total == 1 { return to }
        return outNeighbours[from].first { distance[$0][to] == total - 1 }
    }

    private func vertex(_ name: Int) -> Int {
        vertexOfName[name] ?? nameOfVertex.count
    }

    func groundTruth(_ question: Tokens) -> Tokens {
        guard let parsed = task.parse(question) else { return .unknown(task.answerLength) }
        switch parsed {
        case .distance(let a, let b, let horizon):
            let total = distance[vertex(a)][vertex(b)]
            return task.single(total <= horizon ? task.numberToken(total) : task.infinity)
        case .step(let a, let b, let horizon):
            let step = Self.firstStep(vertex(a), vertex(b), horizon: horizon, outNeighbours: outNeighbours, distance: distance)
            // A step to b itself may name a vertex outside the facts only if a→b is an edge, so it has a name.
            return step.map { task.names.tokens(ofName: nameOfVertex[$0]) } ?? [Int](repeating: task.infinity, count: task.answerLength)
        case .edge, .neighbour:
            return lookup(parsed)
        }
    }

    func leafAnswer(_ question: Tokens, using rng: inout SplitMix64) -> Tokens? {
        guard let parsed = task.parse(question), parsed.isLeaf else { return nil }
        return lookup(parsed)
    }

    private func lookup(_ question: ShortestPathQuestion) -> Tokens {
        switch question {
        case .edge(let a, let b):
            return distance[vertex(a)][vertex(b)] == 1 ? task.single(task.numberToken(1)) : .unknown(task.answerLength)
        case .neighbour(let a, let index):
            let neighbours = outNeighbours[vertex(a)]
            return index < neighbours.count ? task.names.tokens(ofName: nameOfVertex[neighbours[index]]) : .unknown(task.answerLength)
        default:
            return .unknown(task.answerLength)
        }
    }

    func depth(of question: Tokens) -> Int {
        guard let parsed = task.parse(question) else { return 0 }
        switch parsed {
        case .distance(let a, let b, let horizon): return distanceDepth[horizon][vertex(a)][vertex(b)]
        case .step(let a, let b, let horizon): return stepDepth[horizon][vertex(a)][vertex(b)]
        case .edge, .neighbour: return 0
        }
    }
}
