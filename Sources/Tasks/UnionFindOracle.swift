import SeededRandom

/// The classes and trees of one union-find instance, read from its facts.
///
/// Variables not connected to a stated root (possible only in a hand-written file) have no
/// value, parent or depth: their questions answer `?`. Facts must form a forest, one stated
/// root per tree; a cycle would make the expert's parent search circular.
struct UnionFindOracle: InstanceOracle {
    let task: UnionFind
    let statedValue: [Int: Int]
    /// Tree neighbours of each variable, in name order.
    let neighbours: [Int: [Int]]
    let parent: [Int: Int]
    let treeDepth: [Int: Int]
    let classValue: [Int: Int]
    /// Height of the subtree below each variable (0 for a tree leaf).
    let height: [Int: Int]

    init(task: UnionFind, facts: [Tokens]) {
        self.task = task
        let names = task.names
        var statedValue: [Int: Int] = [:]
        var neighbours: [Int: [Int]] = [:]
        for fact in facts where fact.count == task.factLength {
            guard let first = names.index(in: fact, at: 0) else { continue }
            if let second = names.index(in: fact, at: names.nameLength) {
                neighbours[first, default: []].append(second)
                neighbours[second, default: []].append(first)
            } else if let value = task.value(fact[names.nameLength]) {
                statedValue[first] = value
            }
        }
        self.neighbours = neighbours.mapValues { Array(Set($0)).sorted() }
        var parent: [Int: Int] = [:]
        var treeDepth: [Int: Int] = [:]
        var classValue: [Int: Int] = [:]
        var order: [Int] = []
        for (root, value) in statedValue.sorted(by: { $0.key < $1.key }) where parent[root] == nil {
            parent[root] = root
            treeDepth[root] = 0
            classValue[root] = value
            var frontier = [root]
            while let next = frontier.popLast() {
                order.append(next)
                for neighbour in self.neighbours[next, default: []] where parent[neighbour] == nil {
                    parent[neighbour] = next
                    treeDepth[neighbour] = (treeDepth[next] ?? 0) + 1
                    classValue[neighbour] = value
                    frontier.append(neighbour)
                }
            }
        }
        var height: [Int: Int] = [:]
        for variable in order.reversed() {
            let children = self.neighbours[variable, default: []].filter { parent[$0] == variable && $0 != variable }
            height[variable] = children.map { 1 + (height[$0] ?? 0) }.max() ?? 0
        }
        self.statedValue = statedValue
        self.parent = parent
        self.treeDepth = treeDepth
        self.classValue = classValue
        self.height = height
    }

    func groundTruth(_ question: Tokens) -> Tokens {
        let unknown = Tokens.unknown(task.answerLength)
        guard let parsed = task.parse(question) else { return unknown }
        switch parsed {
        case .value(let x):
            return classValue[x].map { task.single(task.firstValue + $0) } ?? unknown
        case .parent(let x):
            return parent[x].map { task.names.tokens(ofName: $0) } ?? unknown
        case .depth(let x):
            return treeDepth[x].map { task.single(task.firstNumber + $0) } ?? unknown
        case .rootward(let c, let x):
            guard let depth = treeDepth[c], depth == 0 || parent[c] != x else { return unknown }
            return task.single(task.firstNumber + depth)
        case .stated, .neighbour, .edge:
            return lookup(parsed)
        }
    }

    func leafAnswer(_ question: Tokens, using rng: inout SplitMix64) -> Tokens? {
        guard let parsed = task.parse(question), parsed.isLeaf else { return nil }
        return lookup(parsed)
    }

    private func lookup(_ question: UnionFindQuestion) -> Tokens {
        let unknown = Tokens.unknown(task.answerLength)
        switch question {
        case .stated(let x):
            return statedValue[x].map { task.single(task.firstValue + $0) } ?? unknown
        case .neighbour(let x, let index):
            let around = neighbours[x, default: []]
            return index < around.count ? task.names.tokens(ofName: around[index]) : unknown
        case .edge(let x, let y):
            return neighbours[x, default: []].contains(y) ? task.single(task.firstNumber) : unknown
        default:
            return unknown
        }
    }

    func depth(of question: Tokens) -> Int {
        guard let parsed = task.parse(question) else { return 0 }
        switch parsed {
        case .value(let x), .depth(let x):
            guard treeDepth[x] != nil else { return 1 }
            // 1 + max(depth of P x, depth of the same question about the parent), up to the root.
            var result = 0
            var level = 0
            var current = x
            while let up = parent[current], up != current {
                result = max(result, level + 1 + searchDepth(current, excluding: nil))
                level += 1
                current = up
            }
            return result
        case .parent(let x):
            return searchDepth(x, excluding: nil)
        case .rootward(let c, let x):
            return searchDepth(c, excluding: x)
        case .stated, .neighbour, .edge:
            return 0
        }
    }

    /// The depth of the parent search from c that skips x: 0 at a root or when only leaves are
    /// asked; else 1 + the deepest R question asked, over children before the parent in name
    /// order (whose depth is their subtree height) and the parent itself.
    private func searchDepth(_ c: Int, excluding x: Int?) -> Int {
        var result = 0
        var current = c
        var excluded = x
        var offset = 0
        while let up = parent[current], up != current {
            var deepest = -1
            for neighbour in neighbours[current, default: []] where neighbour != excluded {
                if neighbour == up { break }
                deepest = max(deepest, height[neighbour] ?? 0)
            }
            if up == excluded {
                deepest = neighbours[current, default: []].filter { $0 != up }.map { height[$0] ?? 0 }.max() ?? -1
                return max(result, deepest < 0 ? 0 : offset + 1 + deepest)
            }
            result = max(result, offset + 1 + deepest, offset + 1)
            offset += 1
            excluded = current
            current = up
        }
        return parent[current] == nil ? 0 : result
    }
}
