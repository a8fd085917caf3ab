import SeededRandom

/// The hidden permutation of one permutation-powering instance, read from its facts.
///
/// Names absent from the facts have no image: every question about them answers `?`.
struct PermutationOracle: InstanceOracle {
    let task: PermutationPowering
    /// σ by name index; -1 where the name is not an element.
    let successor: [Int]

    init(task: PermutationPowering, facts: [Tokens]) {
        self.task = task
        var successor = [Int](repeating: -1, count: task.names.nameCount)
        for fact in facts {
            guard let element = task.names.index(in: fact, at: 0),
                let image = task.names.index(in: fact, at: task.names.nameLength)
            else { continue }
            successor[element] = image
        }
        self.successor = successor
    }

    func groundTruth(_ question: Tokens) -> Tokens {
        guard let (element, exponent) = task.parse(question), successor[element] >= 0 else {
            return .unknown(task.answerLength)
        }
        var current = element
        for _ in 0..<exponent {
            current = successor[current]
            if current < 0 { return .unknown(task.answerLength) }
        }
        return task.names.tokens(ofName: current)
    }

    func leafAnswer(_ question: Tokens, using rng: inout SplitMix64) -> Tokens? {
        guard task.isLeaf(question) else { return nil }
        return groundTruth(question)
    }

    /// bit-length(k) − 2, at least 0: the expert halves k until it reaches a leaf exponent (also
    /// for names outside the instance, whose sub-questions it asks all the same).
    func depth(of question: Tokens) -> Int {
        guard let (_, exponent) = task.parse(question), exponent >= 2 else { return 0 }
        return (Int.bitWidth - exponent.leadingZeroBitCount) - 2
    }
}
