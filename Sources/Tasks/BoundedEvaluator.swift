import SeededRandom

/// E_b: the scripted expert restricted to holistic judgement, the evaluator RLHF learns from in
/// the comparison with amplification (`Documentation/RLHF.md`). It sees a question and two
/// candidate answers, makes at most ``budget`` lookups of hidden facts per judgement (through
/// the task's ``BoundedCheck``) and asks no sub-questions. Where its lookups settle the answer
/// it judges exactly; where they rule an answer out it prefers the other; otherwise it flips a
/// fair coin.
///
/// A judgement costs what an expert call of amplification costs: one supervisor step, and one
/// per lookup (``Judgement/cost``).
public struct BoundedEvaluator<Task: AmplificationTask & BoundedCheck> {
    public let task: Task
    /// b: lookups per judgement.
    public let budget: Int

    public init(task: Task, budget: Int) {
        precondition(budget >= 0, "BoundedEvaluator: the budget is at least 0, got \(budget)")
        self.task = task
        self.budget = budget
    }

    /// One preference between two candidate answers.
    public struct Judgement: Sendable, Hashable {
        /// 0: the first candidate, 1: the second.
        public var preferred: Int
        /// Whether the evidence decided it (else a coin did).
        public var decided: Bool
        public var verdicts: [BoundedVerdict]
        public var lookups: Int
        /// One supervisor step and the lookups: the unit of amplification's expert calls.
        public var cost: Int { 1 + lookups }
    }

    /// Which of `first` and `second` answers `question` better, as far as `budget` lookups through
    /// `lookup` (leaf questions only) tell; ties are settled by a coin drawn from `random`.
    ///
    /// - Precondition: the task's check makes at most ``budget`` lookups.
    public func prefer(
        _ first: Tokens, _ second: Tokens, for question: Tokens, lookup: (Tokens) -> Tokens, random: inout SplitMix64
    ) -> Judgement {
        var lookups = 0
        let evidence = task.boundedEvidence(for: question, budget: budget) { leaf in
            lookups += 1
            return lookup(leaf)
        }
        precondition(lookups <= budget, "BoundedEvaluator: \(task.name)'s check made \(lookups) lookups, over its budget of \(budget)")
        let verdicts = [evidence.verdict(on: first), evidence.verdict(on: second)]
        let ranks = verdicts.map { verdict in
            switch verdict {
            case .right: 2
            case .undecided: 1
            case .wrong: 0
            }
        }
        if ranks[0] != ranks[1] {
            return Judgement(preferred: ranks[0] > ranks[1] ? 0 : 1, decided: true, verdicts: verdicts, lookups: lookups)
        }
        return Judgement(preferred: Int(random.next() & 1), decided: false, verdicts: verdicts, lookups: lookups)
    }
}

extension BoundedEvaluator {
    /// ``prefer(_:_:for:lookup:random:)`` with its lookups answered by `oracle` (leaf questions
    /// only: the lookups read no ground truth), their random stream drawn from `random`.
    public func prefer(_ first: Tokens, _ second: Tokens, for question: Tokens, oracle: any InstanceOracle, random: inout SplitMix64)
        -> Judgement
    {
        var leaves = SplitMix64(seed: random.next())
        return prefer(first, second, for: question, lookup: { oracle.leafAnswer($0, using: &leaves) ?? [] }, random: &random)
    }

    /// Whether ``budget`` lookups through `oracle` settle the answer to `question`.
    public func verifies(_ question: Tokens, oracle: any InstanceOracle) -> Bool {
        var leaves = SplitMix64(seed: 0)
        if case .answer = task.boundedEvidence(for: question, budget: budget, lookup: { oracle.leafAnswer($0, using: &leaves) ?? [] }) {
            return true
        }
        return false
    }
}
