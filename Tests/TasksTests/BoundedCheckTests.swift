import SeededRandom
import Tasks
import Testing

/// E_b's checks (the bounded evaluator of the comparison with RLHF), for the three tasks it is
/// built for: what it may look up, and that what it concludes is true.
@Suite struct BoundedCheckTests {
    /// Main questions of `count` instances of `task` at full size, and every question the
    /// expert asks on the way to them (so smaller exponents, fewer wildcards, other horizons).
    static func questions<T: AmplificationTask>(of task: T, count: Int, seed: UInt64) -> [(Tokens, any InstanceOracle, main: Bool)] {
        var rng = SplitMix64(seed: seed)
        var questions: [(Tokens, any InstanceOracle, main: Bool)] = []
        for _ in 0..<count {
            let instance = task.makeInstance(size: task.size, using: &rng)
            let oracle = task.oracle(for: instance)
            let harness = ExpertHarness(task: task, oracle: oracle)
            for question in instance.questions {
                questions.append((question, oracle, true))
                for asked in harness.run(question, subAnswer: { oracle.groundTruth($0) }).asked { questions.append((asked, oracle, false)) }
            }
        }
        return questions
    }

    /// Within budget, leaf questions only, and true: an answer it settles is the ground truth,
    /// and the ground truth is never ruled out. A larger budget settles at least as much.
    static func checksAreBoundedAndSound<T: AmplificationTask & BoundedCheck>(_ task: T, seed: UInt64) {
        var settled = Array(repeating: 0, count: 6)
        let questions = questions(of: task, count: 20, seed: seed)
        for (question, oracle, _) in questions {
            var random = SplitMix64(seed: seed)
            let truth = oracle.groundTruth(question)
            var settledBelow = false
            for budget in 0...5 {
                var asked: [Tokens] = []
                let evidence = task.boundedEvidence(for: question, budget: budget) { leaf in
                    asked.append(leaf)
                    return oracle.leafAnswer(leaf, using: &random) ?? Tokens(repeating: 0, count: task.answerLength)
                }
                #expect(asked.count <= budget, "\(task.render(question)): \(asked.count) lookups with a budget of \(budget)")
                #expect(asked.allSatisfy(task.isLeaf), "\(task.render(question)): a lookup that is not a leaf question")
                #expect(evidence.verdict(on: truth) != .wrong, "\(task.render(question)) b=\(budget): the truth ruled out")
                if case .answer(let answer) = evidence {
                    #expect(answer == truth, "\(task.render(question)) b=\(budget): settled on \(task.render(answer))")
                    settled[budget] += 1
                    settledBelow = true
                } else {
                    #expect(!settledBelow, "\(task.render(question)): settled at a smaller budget, not at \(budget)")
                }
            }
        }
        #expect(settled[5] > settled[0], "the checks settle some questions")
    }

    @Test func permutationChecksAreBoundedAndSound() { Self.checksAreBoundedAndSound(PermutationPowering(.small), seed: 1) }
    @Test func wildcardChecksAreBoundedAndSound() { Self.checksAreBoundedAndSound(WildcardSearch(.small), seed: 2) }
    @Test func shortestPathChecksAreBoundedAndSound() { Self.checksAreBoundedAndSound(ShortestPath(.small), seed: 3) }

    /// The share of main questions b lookups settle, as `Documentation/RLHF.md` predicted it from
    /// the question distributions before any check existed (permutation: k ≤ b; wildcard: 2^w ≤ b).
    @Test(arguments: [
        ("permutation", 1, 0.0), ("permutation", 2, 0.25), ("permutation", 4, 0.625),
        ("wildcard", 1, 0.0), ("wildcard", 2, 0.25), ("wildcard", 4, 0.5),
    ])
    func theSettledShareIsThePredictedOne(task name: String, budget: Int, predicted: Double) {
        func share<T: AmplificationTask & BoundedCheck>(_ task: T) -> Double {
            let main = Self.questions(of: task, count: 150, seed: 7).filter(\.main)
            var random = SplitMix64(seed: 7)
            let settled = main.count { question, oracle, _ in
                if case .answer = task.boundedEvidence(for: question, budget: budget, lookup: { oracle.leafAnswer($0, using: &random) ?? [] }) {
                    return true
                }
                return false
            }
            return Double(settled) / Double(main.count)
        }
        let measured = name == "permutation" ? share(PermutationPowering(.small)) : share(WildcardSearch(.small))
        #expect(abs(measured - predicted) < 0.05, "\(name) b=\(budget): \(measured) settled, \(predicted) predicted")
    }

    /// The evaluator prefers a settled truth to anything else, never judges beyond its budget, and
    /// flips a fair coin when it cannot tell.
    @Test func theEvaluatorPrefersWhatItCanVerifyAndGuessesOtherwise() {
        let task = PermutationPowering(.small)
        var random = SplitMix64(seed: 11)
        var coins = [0, 0]
        var decided = 0
        for b in [1, 2, 4] {
            let evaluator = BoundedEvaluator(task: task, budget: b)
            for (question, oracle, main) in Self.questions(of: task, count: 30, seed: 5) where main {
                let truth = oracle.groundTruth(question)
                let other = task.names.tokens(ofName: (task.names.index(in: truth, at: 0)! + 1) % task.names.nameCount)
                var leafRandom = SplitMix64(seed: 1)
                let lookup = { (leaf: Tokens) -> Tokens in oracle.leafAnswer(leaf, using: &leafRandom) ?? [] }
                for (first, second, right) in [(truth, other, 0), (other, truth, 1)] {
                    let judgement = evaluator.prefer(first, second, for: question, lookup: lookup, random: &random)
                    #expect(judgement.lookups <= b && judgement.cost == 1 + judgement.lookups)
                    if judgement.decided {
                        #expect(judgement.preferred == right, "a decided judgement is right")
                        decided += 1
                    } else {
                        coins[judgement.preferred] += 1
                    }
                }
            }
        }
        #expect(decided > 0 && coins[0] > 0 && coins[1] > 0)
        let heads = Double(coins[0]) / Double(coins[0] + coins[1])
        #expect(abs(heads - 0.5) < 0.1, "the coin is fair: \(heads)")
    }
}
