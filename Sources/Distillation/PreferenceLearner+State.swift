import Foundation
import NeuralNetworks
import SeededRandom
import Tasks

extension PreferenceLearner {
    /// Everything a learner needs to continue where it stopped: the policy, the reward model, both
    /// optimizers' moments, the random stream and the counts. π₀ is not stored: it is the policy's
    /// initial weights, rebuilt from the seed.
    public struct State: SavedState, Sendable {
        public static let currentFormatVersion = 1

        public var formatVersion: Int
        public var taskName: String
        public var taskSize: Int
        public var answerer: AnswererConfiguration
        public var preferences: Preferences
        public var configuration: Configuration
        public var seed: UInt64
        public var steps: Int
        public var evaluatorCost: Int
        public var random: SplitMix64
        /// `Checkpoint` bytes of the policy, the reward model and their optimizers.
        public var policy: Data
        public var rewardModel: Data
        public var policyOptimizer: Data
        public var rewardOptimizer: Data

        /// Decodes ``serialized()`` bytes, checking the format version.
        ///
        /// - Throws: ``DistillationError/unreadableState(_:)`` or ``DistillationError/incompatibleState(_:)``.
        public init(bytes: [UInt8]) throws(DistillationError) {
            self = try Self.decoded(from: bytes)
        }

        init(learner: PreferenceLearner) {
            formatVersion = Self.currentFormatVersion
            taskName = learner.task.name
            taskSize = learner.task.size
            answerer = learner.answerer
            preferences = learner.preferences
            configuration = learner.configuration
            seed = learner.seed
            steps = learner.steps
            evaluatorCost = learner.evaluatorCost
            random = learner.rng
            policy = Data(learner.policy.checkpoint().serialized())
            rewardModel = Data(learner.rewardModel.parametersCheckpoint().serialized())
            policyOptimizer = Data(learner.policyOptimizer.stateCheckpoint().serialized())
            rewardOptimizer = Data(learner.rewardOptimizer.stateCheckpoint().serialized())
        }
    }

    /// A snapshot of the learner.
    public func state() -> State { State(learner: self) }

    /// A learner that continues from `state`: it steps exactly as the one that saved it would have.
    ///
    /// - Throws: ``DistillationError/incompatibleState(_:)`` when the state is another task's or its
    ///   weights do not fit the architecture it names.
    public convenience init<Task: AmplificationTask & BoundedCheck>(task: Task, resuming state: State) throws(DistillationError) {
        guard state.taskName == task.name, state.taskSize == task.size else {
            throw .incompatibleState("saved for task \(state.taskName) size \(state.taskSize), not \(task.name) size \(task.size)")
        }
        guard state.steps >= 0, state.evaluatorCost >= 0 else { throw .incompatibleState("negative counts") }
        // The stored policy is checked (its configuration against its values, as any answerer
        // checkpoint from outside) before a model of the configuration it names is built.
        let stored: Answerer
        do {
            stored = try Answerer(checkpoint: Checkpoint(bytes: Array(state.policy)))
        } catch {
            throw .incompatibleState("the policy does not load: \(error)")
        }
        guard stored.configuration == state.answerer, stored.dimensions == Distiller.dimensions(of: task) else {
            throw .incompatibleState("the policy's architecture is not the one the state names for \(task.name)")
        }
        self.init(
            task: task, answerer: state.answerer, preferences: state.preferences, configuration: state.configuration,
            seed: state.seed)
        do {
            try policy.loadParameters(Checkpoint(bytes: Array(state.policy)), modelName: "the policy")
            try rewardModel.loadParameters(Checkpoint(bytes: Array(state.rewardModel)), modelName: "the reward model")
            try policyOptimizer.restore(Checkpoint(bytes: Array(state.policyOptimizer)))
            try rewardOptimizer.restore(Checkpoint(bytes: Array(state.rewardOptimizer)))
        } catch {
            throw .incompatibleState("\(error)")
        }
        steps = state.steps
        evaluatorCost = state.evaluatorCost
        rng = state.random
    }
}
