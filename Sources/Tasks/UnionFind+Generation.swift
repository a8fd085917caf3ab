import SeededRandom

extension UnionFind {
    /// Classes: each variable takes one of min(⌊√size⌋, valueCount) distinct values. Each class
    /// gets a uniform root and a random tree grown by attaching every other member (in random
    /// order) to a uniform member already in the tree whose degree is below `maxDegree`.
    /// Questions: V, P, D and R uniformly; R asks about a uniform tree neighbour of c.
    public func makeInstance(size: Int, using rng: inout SplitMix64) -> TaskInstance {
        precondition(size >= 1 && size <= names.nameCount, "UnionFind.makeInstance: size \(size) outside 1...\(names.nameCount)")
        let variables = names.sampleDistinct(size, using: &rng)
        let classCount = min(Int(Double(size).squareRoot()), configuration.valueCount)
        let classValues = Array(Array(0..<configuration.valueCount).shuffled(using: &rng).prefix(classCount))
        let assigned = variables.map { _ in Int.random(in: 0..<classCount, using: &rng) }
        var facts: [Tokens] = []
        var neighbours: [Int: [Int]] = [:]
        for (classIndex, value) in classValues.enumerated() {
            var members = zip(variables, assigned).filter { $0.1 == classIndex }.map(\.0)
            guard !members.isEmpty else { continue }
            let root = members.remove(at: Int.random(in: 0..<members.count, using: &rng))
            var fact: Tokens = []
            names.append(name: root, to: &fact)
            facts.append((fact + [firstValue + value]).padded(to: factLength))
            var tree = [root]
            for member in members.shuffled(using: &rng) {
                let open = tree.filter { neighbours[$0, default: []].count < configuration.maxDegree }
                let other = open[Int.random(in: 0..<open.count, using: &rng)]
                neighbours[other, default: []].append(member)
                neighbours[member, default: []].append(other)
                tree.append(member)
                var edge: Tokens = []
                let (first, second) = Bool.random(using: &rng) ? (member, other) : (other, member)
                names.append(name: first, to: &edge)
                names.append(name: second, to: &edge)
                facts.append(edge)
            }
        }
        let questions = (0..<facts.count).map { _ -> Tokens in
            let variable = variables[Int.random(in: 0..<size, using: &rng)]
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: return question(Self.valueQuestion, variable)
            case 1: return question(Self.parentQuestion, variable)
            case 2: return question(Self.depthQuestion, variable)
            default:
                let around = neighbours[variable, default: []]
                let excluded = around.isEmpty ? variables[Int.random(in: 0..<size, using: &rng)] : around[Int.random(in: 0..<around.count, using: &rng)]
                return rootward(variable, excluding: excluded)
            }
        }
        return TaskInstance(size: size, facts: facts, questions: questions)
    }
}
