import NeuralNetworks
import SeededRandom
import Tasks
import TensorCore

/// What the comparison with amplification measures of a model (`Documentation/RLHF.md`), on
/// fixed held-out instances: its sampled accuracy by depth, and for each evaluator budget b on
/// the two slices E_b tells apart (the questions b lookups verify, and the rest); what E_b makes
/// of two samples of it (the share of E_b's approvals that are wrong); and a reward model's
/// accuracy where it matters (of two different samples, exactly one right: does it score the
/// right one higher?).
///
/// Any answerer can be measured, so IA's X and the supervised model are scored on the same
/// questions and slices as an RLHF policy.
///
/// Measurement, not training: it reads ground truth, as ``Evaluator`` does; the learner never does.
public struct PreferenceEvaluation {
    public let task: any AmplificationTask
    public let instances: [TaskInstance]
    /// The budgets b whose slices are measured, in order.
    public let budgets: [Int]
    let seed: UInt64
    let evaluators: [(
        judge: (_ first: Tokens, _ second: Tokens, _ question: Tokens, _ oracle: any InstanceOracle, inout SplitMix64) -> Int,
        verifies: (_ question: Tokens, _ oracle: any InstanceOracle) -> Bool
    )]

    /// `count` fresh instances at the task's full size from `rng`, sliced and judged by E_b for
    /// each b of `budgets`.
    public init<Task: AmplificationTask & BoundedCheck>(task: Task, budgets: [Int], heldOutCount count: Int, rng: inout SplitMix64) {
        precondition(!budgets.isEmpty && budgets.allSatisfy { $0 >= 1 }, "PreferenceEvaluation: budgets must be at least 1")
        self.task = task
        self.budgets = budgets
        instances = (0..<count).map { _ in task.makeInstance(size: task.size, using: &rng) }
        seed = rng.next()
        evaluators = budgets.map { lookups in
            let evaluator = BoundedEvaluator(task: task, budget: lookups)
            return (
                judge: { first, second, question, oracle, random in
                    evaluator.prefer(first, second, for: question, oracle: oracle, random: &random).preferred
                },
                verifies: { question, oracle in evaluator.verifies(question, oracle: oracle) }
            )
        }
    }

    /// Questions, how many the model answered right, and what an evaluator made of its pairs of
    /// different samples there.
    public struct Slice: Codable, Sendable, Equatable {
        public var questions = 0
        public var correct = 0
        /// Pairs of different samples E_b judged, and how many it preferred a wrong answer in.
        public var judgedPairs = 0
        public var approvedWrong = 0
        /// Judged pairs with exactly one right answer, and how many E_b preferred the right one in.
        public var oneRightPairs = 0
        public var pickedRight = 0

        public init(questions: Int = 0, correct: Int = 0) {
            self.questions = questions
            self.correct = correct
        }

        public var accuracy: Double? { questions == 0 ? nil : Double(correct) / Double(questions) }
        public var approvedWrongShare: Double? { judgedPairs == 0 ? nil : Double(approvedWrong) / Double(judgedPairs) }

        static func + (left: Slice, right: Slice) -> Slice {
            var sum = Slice(questions: left.questions + right.questions, correct: left.correct + right.correct)
            sum.judgedPairs = left.judgedPairs + right.judgedPairs
            sum.approvedWrong = left.approvedWrong + right.approvedWrong
            sum.oneRightPairs = left.oneRightPairs + right.oneRightPairs
            sum.pickedRight = left.pickedRight + right.pickedRight
            return sum
        }
    }

    /// The questions of one depth under the expert (accuracy only).
    public struct Depth: Codable, Sendable, Equatable {
        public var depth: Int
        public var slice: Slice
    }

    /// What E_b with `lookups` settles, and the rest, each with E_b's judgements of the samples.
    public struct Budget: Codable, Sendable, Equatable {
        public var lookups: Int
        public var verifiable = Slice()
        public var unverifiable = Slice()

        public var overall: Slice { verifiable + unverifiable }
    }

    public struct Report: Codable, Sendable, Equatable {
        /// Sampled accuracy by depth, shallowest first.
        public var depths: [Depth] = []
        /// One entry per budget, in the evaluation's order.
        public var budgets: [Budget] = []
        /// Pairs of different samples with exactly one right, and how many the reward model
        /// scored the right one higher in (both 0 without a reward model).
        public var rewardModelPairs = 0
        public var rewardModelRight = 0

        public var overall: Slice { depths.reduce(Slice()) { $0 + $1.slice } }
        public var rewardModelAccuracy: Double? {
            rewardModelPairs == 0 ? nil : Double(rewardModelRight) / Double(rewardModelPairs)
        }
        public func budget(_ lookups: Int) -> Budget? { budgets.first { $0.lookups == lookups } }
    }

    /// `model` sampled twice on every question, scored against the truth and judged by each
    /// E_b; `rewardModel`, when given, scores both samples. The same instances and seed every call.
    public func evaluate(policy model: Answerer, rewardModel: RewardModel? = nil) -> Report {
        var rng = SplitMix64(seed: seed)
        let dimensions = model.dimensions
        let batch = AnswererBatch.unanswered(instances, dimensions: dimensions)
        let (Q, A) = (batch.questionCount, dimensions.answerLength)
        let samples = [model.decode(batch, mode: .sampled, rng: &rng), model.decode(batch, mode: .sampled, rng: &rng)]
        let scores = rewardModel.map { rewardModel in
            samples.map { targets in
                var scored = batch
                scored.targets = targets
                return Tape.withoutRecording { rewardModel.rewards(scored).scalars }
            }
        }
        var report = Report()
        report.budgets = budgets.map { Budget(lookups: $0) }
        var byDepth: [Int: Slice] = [:]
        for (b, instance) in instances.enumerated() {
            let oracle = task.oracle(for: instance)
            for (q, question) in instance.questions.enumerated() {
                let row = b * Q + q
                let answers = samples.map { Array($0[(row * A)..<((row + 1) * A)]) }
                let truth = oracle.groundTruth(question)
                let right = answers.map { $0 == truth }
                let plain = Slice(questions: 1, correct: right[0] ? 1 : 0)
                byDepth[oracle.depth(of: question), default: Slice()] = byDepth[oracle.depth(of: question), default: Slice()] + plain
                if let scores, answers[0] != answers[1], right[0] != right[1] {
                    report.rewardModelPairs += 1
                    if (scores[0][row] > scores[1][row]) == right[0] { report.rewardModelRight += 1 }
                }
                for (index, evaluator) in evaluators.enumerated() {
                    var slice = plain
                    if answers[0] != answers[1] {
                        let picked = evaluator.judge(answers[0], answers[1], question, oracle, &rng)
                        slice.judgedPairs = 1
                        slice.approvedWrong = right[picked] ? 0 : 1
                        if right[0] != right[1] {
                            slice.oneRightPairs = 1
                            slice.pickedRight = right[picked] ? 1 : 0
                        }
                    }
                    if evaluator.verifies(question, oracle) {
                        report.budgets[index].verifiable = report.budgets[index].verifiable + slice
                    } else {
                        report.budgets[index].unverifiable = report.budgets[index].unverifiable + slice
                    }
                }
            }
        }
        report.depths = byDepth.keys.sorted().map { Depth(depth: $0, slice: byDepth[$0]!) }
        return report
    }
}
