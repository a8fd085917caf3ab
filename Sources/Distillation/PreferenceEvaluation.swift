import NeuralNetworks
import SeededRandom
import Tasks
import TensorCore

/// What the comparison with amplification measures of an RLHF policy (`Documentation/RLHF.md`),
/// on fixed held-out instances: the policy's sampled accuracy by depth and on the two slices E_b
/// tells apart (the questions b lookups verify, and the rest); the reward model's accuracy where it
/// matters (of two different samples, exactly one right: does it score the right one higher?); and
/// the share of E_b's approvals that are wrong (the preferred answer of each judged pair).
///
/// Measurement, not training: it reads ground truth, as ``Evaluator`` does; the learner never does.
public struct PreferenceEvaluation {
    public let task: any AmplificationTask
    public let instances: [TaskInstance]
    /// b: E_b's lookups per judgement.
    public let lookups: Int
    let seed: UInt64
    let judge: (_ first: Tokens, _ second: Tokens, _ question: Tokens, _ oracle: any InstanceOracle, inout SplitMix64) -> Int
    let verifies: (_ question: Tokens, _ oracle: any InstanceOracle) -> Bool

    /// `count` fresh instances at the task's full size from `rng`, judged by E_b with `lookups`.
    public init<Task: AmplificationTask & BoundedCheck>(task: Task, lookups: Int, heldOutCount count: Int, rng: inout SplitMix64) {
        self.task = task
        self.lookups = lookups
        instances = (0..<count).map { _ in task.makeInstance(size: task.size, using: &rng) }
        seed = rng.next()
        let evaluator = BoundedEvaluator(task: task, budget: lookups)
        judge = { first, second, question, oracle, random in
            evaluator.prefer(first, second, for: question, oracle: oracle, random: &random).preferred
        }
        verifies = { question, oracle in evaluator.verifies(question, oracle: oracle) }
    }

    /// One slice's questions, how many the policy answered right, and what E_b made of its
    /// pairs of different samples there.
    public struct Slice: Codable, Sendable, Equatable {
        public var questions = 0
        public var correct = 0
        /// Pairs of different samples E_b judged, and how many it preferred a wrong answer in.
        public var judgedPairs = 0
        public var approvedWrong = 0
        /// Judged pairs with exactly one right answer, and how many E_b preferred the right one in.
        public var oneRightPairs = 0
        public var pickedRight = 0

        public var accuracy: Double? { questions == 0 ? nil : Double(correct) / Double(questions) }
        public var approvedWrongShare: Double? { judgedPairs == 0 ? nil : Double(approvedWrong) / Double(judgedPairs) }

        static func + (left: Slice, right: Slice) -> Slice {
            Slice(
                questions: left.questions + right.questions, correct: left.correct + right.correct,
                judgedPairs: left.judgedPairs + right.judgedPairs, approvedWrong: left.approvedWrong + right.approvedWrong,
                oneRightPairs: left.oneRightPairs + right.oneRightPairs, pickedRight: left.pickedRight + right.pickedRight)
        }
    }

    public struct Report: Codable, Sendable, Equatable {
        /// Sampled accuracy, by the question's depth under the expert.
        public var byDepth: [Int: Slice] = [:]
        /// The questions E_b settles within b lookups, and the rest.
        public var verifiable = Slice()
        public var unverifiable = Slice()
        /// Pairs of different samples with exactly one right, and how many the reward model
        /// scored the right one higher in.
        public var rewardModelPairs = 0
        public var rewardModelRight = 0

        public var overall: Slice { verifiable + unverifiable }
        public var rewardModelAccuracy: Double? {
            rewardModelPairs == 0 ? nil : Double(rewardModelRight) / Double(rewardModelPairs)
        }
    }

    /// `policy` sampled twice on every question, scored against the truth and judged by E_b;
    /// `rewardModel` scores both samples. The same instances and seed every call.
    public func evaluate(policy: Answerer, rewardModel: RewardModel) -> Report {
        var rng = SplitMix64(seed: seed)
        let dimensions = policy.dimensions
        let batch = AnswererBatch.unanswered(instances, dimensions: dimensions)
        let (Q, A) = (batch.questionCount, dimensions.answerLength)
        let samples = [policy.decode(batch, mode: .sampled, rng: &rng), policy.decode(batch, mode: .sampled, rng: &rng)]
        let scores = samples.map { targets in
            var scored = batch
            scored.targets = targets
            return Tape.withoutRecording { rewardModel.rewards(scored).scalars }
        }
        var report = Report()
        for (b, instance) in instances.enumerated() {
            let oracle = task.oracle(for: instance)
            for (q, question) in instance.questions.enumerated() {
                let row = b * Q + q
                let answers = samples.map { Array($0[(row * A)..<((row + 1) * A)]) }
                let truth = oracle.groundTruth(question)
                let right = answers.map { $0 == truth }
                var slice = Slice(questions: 1, correct: right[0] ? 1 : 0)
                if answers[0] != answers[1] {
                    let picked = judge(answers[0], answers[1], question, oracle, &rng)
                    slice.judgedPairs = 1
                    slice.approvedWrong = right[picked] ? 0 : 1
                    if right[0] != right[1] {
                        slice.oneRightPairs = 1
                        slice.pickedRight = right[picked] ? 1 : 0
                        report.rewardModelPairs += 1
                        if (scores[0][row] > scores[1][row]) == right[0] { report.rewardModelRight += 1 }
                    }
                }
                report.byDepth[oracle.depth(of: question), default: Slice()] = report.byDepth[oracle.depth(of: question), default: Slice()] + slice
                if verifies(question, oracle) {
                    report.verifiable = report.verifiable + slice
                } else {
                    report.unverifiable = report.unverifiable + slice
                }
            }
        }
        return report
    }
}
