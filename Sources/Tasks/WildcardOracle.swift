import SeededRandom

/// The hidden strings and values of one wildcard-search instance, read from its facts.
struct WildcardOracle: InstanceOracle {
    let task: WildcardSearch
    /// The value of each string in the context, keyed by its letters.
    let values: [Tokens: Int]

    init(task: WildcardSearch, facts: [Tokens]) {
        self.task = task
        var values: [Tokens: Int] = [:]
        for fact in facts where fact.count == task.factLength {
            let string = Array(fact.prefix(task.questionLength))
            guard task.isLeaf(string), let value = task.number(fact[task.questionLength]) else { continue }
            values[string] = value
        }
        self.values = values
    }

    /// The sum by the expert's recursion: split on the first `*`, clamp every partial sum. It is
    /// the plain clamped sum unless a partial sum passes ±sumBound (see Documentation/Tasks.md).
    func groundTruth(_ question: Tokens) -> Tokens {
        guard task.isPattern(question) else { return [task.token(of: 0)] }
        return [task.token(of: sum(question))]
    }

    private func sum(_ pattern: Tokens) -> Int {
        guard let wildcard = pattern.firstIndex(of: WildcardSearch.star) else { return values[pattern] ?? 0 }
        var total = 0
        var filled = pattern
        for letter in 0..<task.configuration.letterCount {
            filled[wildcard] = WildcardSearch.firstLetter + letter
            total += sum(filled)
        }
        let bound = task.configuration.sumBound
        return min(max(total, -bound), bound)
    }

    func leafAnswer(_ question: Tokens, using rng: inout SplitMix64) -> Tokens? {
        guard task.isLeaf(question) else { return nil }
        return [task.token(of: values[question] ?? 0)]
    }

    /// Wildcards − 1: each split removes one `*`, and one `*` splits into leaves.
    func depth(of question: Tokens) -> Int {
        guard task.isPattern(question) else { return 0 }
        return max(question.count { $0 == WildcardSearch.star } - 1, 0)
    }
}
