import Foundation
import Distillation
import NeuralNetworks
import SeededRandom
import Tasks
import Testing

extension TrappingTask: BoundedCheck {
    func boundedEvidence(for question: Tokens, budget: Int, lookup: (Tokens) -> Tokens) -> BoundedEvidence {
        guard let checked = base as? any BoundedCheck else { preconditionFailure("TrappingTask: \(base.name) has no bounded check") }
        return checked.boundedEvidence(for: question, budget: budget, lookup: lookup)
    }
}

/// RLHF's loop: what the evaluator costs and may read.
@Suite struct PreferenceLearnerTests {
    /// A judgement costs a supervisor step and at most b lookups; equal samples are not judged;
    /// the learner's total is the sum of its steps'. Oracle preferences cost one step each.
    @Test(arguments: [1, 2, 4])
    func eachJudgementCostsAStepAndAtMostBLookups(lookups: Int) {
        for task in [PermutationPowering(.tiny), WildcardSearch(.tiny), ShortestPath(.tiny)] as [any AmplificationTask & BoundedCheck] {
            let learner = PreferenceLearner(task: task, answerer: .tiny, preferences: .bounded(lookups: lookups), seed: 4)
            var total = 0
            for _ in 0..<3 {
                let report = learner.step()
                #expect(report.judgements > 0, "\(task.name): an untrained policy's two samples differ somewhere")
                #expect(report.cost >= report.judgements && report.cost <= report.judgements * (1 + lookups), "\(task.name): \(report)")
                total += report.cost
            }
            #expect(learner.evaluatorCost == total && learner.steps == 3)
        }
        let oracle = PreferenceLearner(task: PermutationPowering(.tiny), answerer: .tiny, preferences: .oracle, seed: 4)
        let report = oracle.step()
        #expect(report.cost == report.judgements)
    }

    /// With E_b, the loop reads no ground truth: the trapping task's oracle traps on any read,
    /// and a run of steps on each task with a bounded check finishes.
    @Test func rlhfWithTheBoundedEvaluatorNeverReadsGroundTruth() {
        for base in [PermutationPowering(.tiny), WildcardSearch(.tiny), ShortestPath(.tiny)] as [any AmplificationTask] {
            let learner = PreferenceLearner(
                task: TrappingTask(base: base), answerer: .tiny, preferences: .bounded(lookups: 4), seed: 5)
            for _ in 0..<3 { learner.step() }
            #expect(learner.evaluatorCost > 0)
        }
    }

    /// The measurement's slices add up; on the slice E_b verifies it never prefers a wrong answer
    /// to a right one, and approves nothing wrong but where both samples are wrong; larger b
    /// verifies at least as much.
    @Test func theEvaluationsSlicesAddUpAndEbIsExactWhereItVerifies() {
        for task in [PermutationPowering(.tiny), WildcardSearch(.tiny), ShortestPath(.tiny)] as [any AmplificationTask & BoundedCheck] {
            let learner = PreferenceLearner(task: task, answerer: .tiny, preferences: .oracle, seed: 6)
            var rng = SplitMix64(seed: 12)
            let evaluation = PreferenceEvaluation(task: task, budgets: [1, 2, 4], heldOutCount: 16, rng: &rng)
            let report = evaluation.evaluate(policy: learner.policy, rewardModel: learner.rewardModel)
            let overall = report.overall
            #expect(overall.questions == evaluation.instances.map(\.questions.count).reduce(0, +))
            var verified: [Int] = []
            var oneRight: [Int] = []
            for budget in report.budgets {
                let lookups = budget.lookups
                #expect(budget.overall.questions == overall.questions && budget.overall.correct == overall.correct)
                #expect(budget.verifiable.pickedRight == budget.verifiable.oneRightPairs, "\(task.name) b=\(lookups)")
                #expect(
                    budget.verifiable.approvedWrong == budget.verifiable.judgedPairs - budget.verifiable.oneRightPairs,
                    "\(task.name) b=\(lookups): a wrong approval where it verifies only between two wrong answers")
                #expect(budget.overall.judgedPairs > 0, "\(task.name): an untrained policy's samples differ")
                verified.append(budget.verifiable.questions)
                oneRight.append(budget.overall.oneRightPairs)
            }
            #expect(Set(oneRight) == [report.rewardModelPairs], "every budget sees the same pairs with one right")
            #expect(report.depths.map(\.depth) == report.depths.map(\.depth).sorted())
            #expect(verified == verified.sorted(), "\(task.name): \(verified)")
        }
    }

    /// A saved learner continues exactly (the same weights and cost after two more steps as one
    /// never saved), through its JSON bytes; a state of another task, with a policy that does not
    /// load or whose architecture is not the one it names, is refused with an error.
    @Test func aSavedLearnerContinuesExactlyAndABadStateIsRefused() throws {
        let task = PermutationPowering(.tiny)
        let learner = PreferenceLearner(task: task, answerer: .tiny, preferences: .bounded(lookups: 2), seed: 8)
        learner.step()
        let saved = try PreferenceLearner.State(bytes: learner.state().serialized())
        let resumed = try PreferenceLearner(task: task, resuming: saved)
        for _ in 0..<2 {
            learner.step()
            resumed.step()
        }
        #expect(resumed.policy.checkpoint() == learner.policy.checkpoint())
        #expect(resumed.evaluatorCost == learner.evaluatorCost && resumed.steps == 3)

        #expect(throws: DistillationError.self) { _ = try PreferenceLearner(task: PermutationPowering(.small), resuming: saved) }
        var garbled = saved
        garbled.policy = Data(garbled.policy.prefix(100))
        #expect(throws: DistillationError.self) { _ = try PreferenceLearner(task: task, resuming: garbled) }
        var renamed = saved
        renamed.answerer = .small
        #expect(throws: DistillationError.self) { _ = try PreferenceLearner(task: task, resuming: renamed) }
    }
}
