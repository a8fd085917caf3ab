import SeededRandom
import Tasks

/// HCH_n with the task's scripted expert, evaluated the straightforward way: one question at a
/// time, synchronous recursion, no batching. The reference the engine is measured and tested
/// against (`ida bench amplify`, the HCH tests).
///
/// It follows the same rules as ``HCH`` with a ``ScriptedExpert``: leaf lookups, the unknown
/// answer for loops, for sub-questions past `budget.maximumDepth` and for workspaces past
/// `budget.subquestionsPerWorkspace`, and the same random streams (each workspace seeded by its
/// query, each sub-question's seed drawn from it). So it gives the same answers and the same
/// supervisor-action and leaf-lookup counts. The global call budgets do not apply here.
public struct RecursiveHCH: Sendable {
    public let task: any AmplificationTask
    public let depth: Int
    public let budget: AmplificationBudget

    /// - Precondition: `depth >= 0`.
    public init(task: any AmplificationTask, depth: Int, budget: AmplificationBudget = AmplificationBudget()) {
        precondition(depth >= 0, "RecursiveHCH: depth must be non-negative, got \(depth)")
        self.task = task
        self.depth = depth
        self.budget = budget
    }

    /// The answers to `queries`, one at a time, with the supervisor actions, leaf lookups, loops
    /// and budget exhaustions they took.
    public func evaluate(_ queries: [AssistantQuery], contexts: [InstanceContext]) -> (
        answers: [Content], counters: AmplificationCounters
    ) {
        var counters = AmplificationCounters()
        let unknown = Tokens(repeating: 0, count: task.answerLength)
        let answers = queries.map { query in
            guard let oracle = contexts[query.context].oracle else {
                preconditionFailure("RecursiveHCH: context \(query.context) is not an instance of '\(task.name)'")
            }
            return Content.tokens(
                answer(
                    query.question.tokens, oracle: oracle, seed: query.seed,
                    ancestry: query.ancestry.questions.map(\.tokens), level: depth, unknown: unknown, counters: &counters))
        }
        return (answers, counters)
    }

    private func answer(
        _ question: Tokens, oracle: any InstanceOracle, seed: UInt64, ancestry: [Tokens], level: Int, unknown: Tokens,
        counters: inout AmplificationCounters
    ) -> Tokens {
        var rng = SplitMix64(seed: seed)
        var transcript: [Exchange] = []
        var subquestionsLeft = budget.subquestionsPerWorkspace
        while true {
            counters.supervisorActions += 1
            switch task.expertStep(question: question, transcript: transcript) {
            case .answer(let answer):
                return answer
            case .ask(let subquestion):
                guard subquestionsLeft > 0 else {
                    counters.budgetExhaustions += 1
                    return unknown
                }
                subquestionsLeft -= 1
                var subanswer = unknown
                if task.isLeaf(subquestion) {
                    counters.leafLookups += 1
                    subanswer = oracle.leafAnswer(subquestion, using: &rng) ?? unknown
                } else if subquestion == question || ancestry.contains(subquestion) {
                    counters.loopsDetected += 1
                } else if ancestry.count >= budget.maximumDepth {
                    counters.budgetExhaustions += 1
                } else {
                    let subseed = rng.next()
                    if level > 0 {
                        subanswer = answer(
                            subquestion, oracle: oracle, seed: subseed, ancestry: ancestry + [question],
                            level: level - 1, unknown: unknown, counters: &counters)
                    }
                }
                transcript.append(Exchange(question: subquestion, answer: subanswer))
            }
        }
    }
}
