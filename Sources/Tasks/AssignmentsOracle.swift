import SeededRandom

/// The program of one sequential-assignments instance, read from its facts.
///
/// Variables defined in a cycle (possible only in a hand-written file) have no value: their
/// questions answer `?`, and their depth counts as 0.
struct AssignmentsOracle: InstanceOracle {
    let task: SequentialAssignments
    /// Per name index: the base value, or the operands, or neither.
    let base: [Int: Int]
    let operands: [Int: (Int, Int)]
    /// f as a table from `left · valueCount + right`.
    let operation: [Int: Int]
    /// The value and the depth of every variable with a value.
    let values: [Int: Int]
    let depths: [Int: Int]

    init(task: SequentialAssignments, facts: [Tokens]) {
        self.task = task
        let names = task.names
        var base: [Int: Int] = [:]
        var operands: [Int: (Int, Int)] = [:]
        var operation: [Int: Int] = [:]
        for fact in facts where fact.count == task.factLength {
            if let variable = names.index(in: fact, at: 0) {
                if let left = names.index(in: fact, at: names.nameLength), let right = names.index(in: fact, at: 2 * names.nameLength) {
                    operands[variable] = (left, right)
                } else if let value = task.value(fact[names.nameLength]) {
                    base[variable] = value
                }
            } else if let left = task.value(fact[0]), fact.count >= 3, let right = task.value(fact[1]), let result = task.value(fact[2]) {
                operation[left * task.configuration.valueCount + right] = result
            }
        }
        self.base = base
        self.operands = operands
        self.operation = operation
        var values: [Int: Int] = base
        var depths: [Int: Int] = base.mapValues { _ in 0 }
        // Evaluate in rounds until nothing changes: robust to any fact order, and cycles stay out.
        var changed = true
        while changed {
            changed = false
            for (variable, (left, right)) in operands where values[variable] == nil && base[variable] == nil {
                guard let leftValue = values[left], let rightValue = values[right],
                    let result = operation[leftValue * task.configuration.valueCount + rightValue],
                    let leftDepth = depths[left], let rightDepth = depths[right]
                else { continue }
                values[variable] = result
                depths[variable] = 1 + max(leftDepth, rightDepth)
                changed = true
            }
        }
        self.values = values
        self.depths = depths
    }

    func groundTruth(_ question: Tokens) -> Tokens {
        let unknown = Tokens.unknown(task.answerLength)
        if let answer = lookup(question) { return answer }
        guard question.count == task.questionLength, question[0] == SequentialAssignments.evaluate,
            let variable = task.names.index(in: question, at: 1), let value = values[variable]
        else { return unknown }
        return task.answer(value: value)
    }

    func leafAnswer(_ question: Tokens, using rng: inout SplitMix64) -> Tokens? {
        lookup(question)
    }

    private func lookup(_ question: Tokens) -> Tokens? {
        guard task.isLeaf(question) else { return nil }
        let unknown = Tokens.unknown(task.answerLength)
        if let left = task.value(question[0]), let right = task.value(question[1]) {
            return operation[left * task.configuration.valueCount + right].map(task.answer(value:)) ?? unknown
        }
        guard let variable = task.names.index(in: question, at: 1) else { return unknown }
        if let value = base[variable] { return task.answer(value: value) }
        guard let (left, right) = operands[variable] else { return unknown }
        return task.names.tokens(ofName: question[0] == SequentialAssignments.first ? left : right)
    }

    /// 0 for a base variable, else 1 + the larger depth of the two operands.
    func depth(of question: Tokens) -> Int {
        guard question.count == task.questionLength, question[0] == SequentialAssignments.evaluate,
            let variable = task.names.index(in: question, at: 1)
        else { return 0 }
        return depths[variable] ?? 0
    }
}
