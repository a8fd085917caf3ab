import NeuralNetworks
import SeededRandom
import Tasks
import TensorCore

/// RLHF's loop, the method amplification is compared with (`Documentation/RLHF.md`): a policy (an
/// answerer, X's architecture) samples two answers to each question of a batch; an evaluator
/// prefers one of each pair; a reward model (``RewardModel``) is fitted to the preferences
/// (Bradley–Terry, one step per batch, so it follows the policy as it moves); and the policy
/// follows the reward model by REINFORCE, each sample's advantage its reward less the other
/// sample's (the leave-one-out baseline of two samples), the reward less a KL penalty to the
/// policy's initial weights.
///
/// The evaluator is E_b (``Preferences/bounded(lookups:)``: holistic judgement with at most b
/// lookups, `BoundedEvaluator`) or the truth (``Preferences/oracle``, RL with oracle
/// preferences: it separates weak evaluation from RL's own inefficiency). Its cost is counted in
/// amplification's unit: one supervisor step per judgement plus its lookups. Two equal samples
/// are not judged (there is nothing to prefer) and cost nothing. With E_b, the only facts the
/// loop reads are E_b's lookups: neither the policy nor the reward model sees a ground truth.
///
/// `ida run --method rlhf` and `rl-oracle` run it (`PreferenceJob` in Application), saving
/// ``state()`` at checkpoints.
public final class PreferenceLearner {
    /// Who prefers one answer to another.
    public enum Preferences: Codable, Sendable, Equatable {
        /// E_b: at most `lookups` hidden-fact lookups per judgement, no sub-questions.
        case bounded(lookups: Int)
        /// The truth: the answer equal to the ground truth is preferred; when neither or both
        /// are, a coin.
        case oracle

        /// b, for E_b; nil for the truth.
        public var lookups: Int? {
            if case .bounded(let lookups) = self { lookups } else { nil }
        }
    }

    public struct Configuration: Codable, Sendable, Equatable {
        /// Instances drawn per step; their questions, all depths, are the batch.
        public var instancesPerStep: Int
        /// β: the weight of log π(y) − log π₀(y) subtracted from the reward.
        public var klCoefficient: Float
        public var policyOptimizer: AdamConfiguration
        public var rewardOptimizer: AdamConfiguration

        /// The defaults were chosen on tiny permutation with oracle preferences, seed 1 (greedy
        /// accuracy from 19 %): 45.0 % after 600 steps, against 38.1 % with a policy rate of 1e-3;
        /// after 300 steps with a reward-model rate of 1e-3, 31.3 % (rate 3e-4, 4 instances),
        /// 33.1 % (8 instances), 21.9 % (β 0.2) and 16.3 % (rate 1e-3, 4 instances). The policy
        /// moves slower than the reward model it follows. (`Documentation/RLHF.md`.)
        public init(
            instancesPerStep: Int = 8, klCoefficient: Float = 0.05,
            policyOptimizer: AdamConfiguration = AdamConfiguration(learningRate: 3e-4),
            rewardOptimizer: AdamConfiguration = AdamConfiguration(learningRate: 3e-3)
        ) {
            precondition(instancesPerStep > 0 && klCoefficient >= 0, "PreferenceLearner.Configuration: invalid values")
            self.instancesPerStep = instancesPerStep
            self.klCoefficient = klCoefficient
            self.policyOptimizer = policyOptimizer
            self.rewardOptimizer = rewardOptimizer
        }
    }

    /// What one step did.
    public struct StepReport: Sendable, Equatable {
        /// Pairs judged (two different samples).
        public var judgements: Int
        /// The evaluator's cost of the step: a supervisor step and the lookups per judgement.
        public var cost: Int
        /// The share of judged pairs the reward model ranked as the evaluator did, before
        /// training on them (`nil` when nothing was judged).
        public var rewardModelAgreement: Double?
        /// The mean of log π(y) − log π₀(y) over the samples.
        public var meanKL: Double
    }

    public let task: any AmplificationTask
    public let answerer: AnswererConfiguration
    public let seed: UInt64
    public let preferences: Preferences
    public let configuration: Configuration
    /// π: the model trained, an answerer like X.
    public let policy: Answerer
    /// π₀: the policy's initial weights, for the KL penalty.
    let initialPolicy: Answerer
    public let rewardModel: RewardModel
    let policyOptimizer: Adam
    let rewardOptimizer: Adam
    let tape = Tape()
    /// Judges two answers to a question of an instance: which is preferred, and what it cost.
    let judge: (_ first: Tokens, _ second: Tokens, _ question: Tokens, _ oracle: any InstanceOracle, inout SplitMix64)
        -> (preferred: Int, cost: Int)
    /// The evaluator's cost so far.
    public internal(set) var evaluatorCost = 0
    public internal(set) var steps = 0
    var rng: SplitMix64

    /// Weights from `split(stream: 1)` of `seed` (the policy's, then the reward model's),
    /// instances, samples and coins from stream 2.
    public init<Task: AmplificationTask & BoundedCheck>(
        task: Task, answerer: AnswererConfiguration, preferences: Preferences, configuration: Configuration = Configuration(),
        seed: UInt64
    ) {
        self.task = task
        self.answerer = answerer
        self.seed = seed
        self.preferences = preferences
        self.configuration = configuration
        let root = SplitMix64(seed: seed)
        var weights = root.split(stream: 1)
        let dimensions = Distiller.dimensions(of: task)
        policy = Answerer(configuration: answerer, dimensions: dimensions, rng: &weights)
        var copy = SplitMix64(seed: 0)
        initialPolicy = Answerer(configuration: answerer, dimensions: dimensions, rng: &copy)
        try? initialPolicy.load(policy.checkpoint())  // same architecture: cannot fail
        rewardModel = RewardModel(configuration: answerer, dimensions: dimensions, rng: &weights)
        policyOptimizer = Adam(parameters: policy.parameters().map(\.tensor), configuration: configuration.policyOptimizer)
        rewardOptimizer = Adam(parameters: rewardModel.parameters().map(\.tensor), configuration: configuration.rewardOptimizer)
        rng = root.split(stream: 2)
        switch preferences {
        case .bounded(let lookups):
            let evaluator = BoundedEvaluator(task: task, budget: lookups)
            judge = { first, second, question, oracle, random in
                let judgement = evaluator.prefer(first, second, for: question, oracle: oracle, random: &random)
                return (judgement.preferred, judgement.cost)
            }
        case .oracle:
            judge = { first, second, question, oracle, random in
                let truth = oracle.groundTruth(question)
                let (firstRight, secondRight) = (first == truth, second == truth)
                let preferred = firstRight == secondRight ? Int(random.next() & 1) : (firstRight ? 0 : 1)
                return (preferred, 1)
            }
        }
    }

    /// One step: sample, judge, fit the reward model, move the policy.
    @discardableResult
    public func step() -> StepReport {
        let instances = (0..<configuration.instancesPerStep).map { _ in task.makeInstance(size: task.size, using: &rng) }
        let dimensions = policy.dimensions
        let unanswered = AnswererBatch.unanswered(instances, dimensions: dimensions)
        let (Q, A) = (unanswered.questionCount, dimensions.answerLength)
        let samples = [policy.decode(unanswered, mode: .sampled, rng: &rng), policy.decode(unanswered, mode: .sampled, rng: &rng)]

        // Judge every pair of different samples; `preferred[row]` is 0 or 1, or nil when not judged.
        var preferred = [Int?](repeating: nil, count: unanswered.instanceCount * Q)
        var report = StepReport(judgements: 0, cost: 0, rewardModelAgreement: nil, meanKL: 0)
        for (b, instance) in instances.enumerated() {
            let oracle = task.oracle(for: instance)
            for (q, question) in instance.questions.enumerated() {
                let row = b * Q + q
                let answers = samples.map { Array($0[(row * A)..<((row + 1) * A)]) }
                guard answers[0] != answers[1] else { continue }
                let judged = judge(answers[0], answers[1], question, oracle, &rng)
                preferred[row] = judged.preferred
                report.judgements += 1
                report.cost += judged.cost
            }
        }
        evaluatorCost += report.cost

        let batches = samples.map { targets in
            var batch = unanswered
            batch.targets = targets
            return batch
        }
        if report.judgements > 0 {
            // The preferred and rejected answer of each judged pair; an unjudged pair's two
            // answers are equal, so its margin is 0 and it adds no gradient.
            var chosen = samples[0]
            var other = samples[1]
            for (row, choice) in preferred.enumerated() where choice == 1 {
                chosen.replaceSubrange((row * A)..<((row + 1) * A), with: samples[1][(row * A)..<((row + 1) * A)])
                other.replaceSubrange((row * A)..<((row + 1) * A), with: samples[0][(row * A)..<((row + 1) * A)])
            }
            var preferredBatch = unanswered
            preferredBatch.targets = chosen
            var rejectedBatch = unanswered
            rejectedBatch.targets = other
            let (up, down) = Tape.withoutRecording {
                (rewardModel.rewards(preferredBatch).scalars, rewardModel.rewards(rejectedBatch).scalars)
            }
            let agreed = preferred.indices.count { preferred[$0] != nil && up[$0] > down[$0] }
            report.rewardModelAgreement = Double(agreed) / Double(report.judgements)
            let loss = tape.recording { rewardModel.preferenceLoss(preferred: preferredBatch, rejected: rejectedBatch) }
            tape.backward(loss)
            rewardOptimizer.step()
        }

        // Rewards from the refitted model, less the KL penalty; advantages against the other sample.
        let isReal = unanswered.questionIsReal(questionLength: dimensions.questionLength)
        let realCount = Float(max(1, isReal.count { $0 }))
        let shaped = batches.map { batch in
            Tape.withoutRecording {
                let reward = rewardModel.rewards(batch).scalars
                let kl = zip(policy.logLikelihoods(batch).scalars, initialPolicy.logLikelihoods(batch).scalars).map { $0 - $1 }
                return (reward: zip(reward, kl).map { $0 - configuration.klCoefficient * $1 }, kl: kl)
            }
        }
        report.meanKL = Double(
            zip(isReal, zip(shaped[0].kl, shaped[1].kl)).reduce(0) { $0 + ($1.0 ? $1.1.0 + $1.1.1 : 0) } / (2 * realCount))
        let advantages = [
            zip(shaped[0].reward, shaped[1].reward).map { ($0 - $1) / (2 * realCount) },
            zip(shaped[1].reward, shaped[0].reward).map { ($0 - $1) / (2 * realCount) },
        ]
        let loss = tape.recording {
            policy.weightedLoss(batches[0], weights: advantages[0]) + policy.weightedLoss(batches[1], weights: advantages[1])
        }
        tape.backward(loss)
        policyOptimizer.step()
        steps += 1
        return report
    }
}
