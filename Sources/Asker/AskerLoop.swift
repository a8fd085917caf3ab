import Amplification
import NeuralNetworks
import SeededRandom
import Tasks

/// H′'s side of an IA run (reference §5.3): demonstrations of the real expert at the rate the
/// ``DemonstrationSchedule`` allows, H′ trained on them, and the ``LearnedSupervisor`` that the
/// loop uses in place of the expert to build X's targets.
///
/// The distillation loop calls ``update(answererStep:assistant:instanceSize:)`` before each
/// generation of targets, with X's step count, its teacher as the assistant, and the
/// curriculum's instance size; then it amplifies with ``supervisor`` and calls
/// ``recordDeferredCalls()``. Expert calls are counted here and nowhere else: the demonstrations'
/// actions, and the actions H′ deferred to the expert (``AskerConfiguration/deferralProbability``).
///
/// ```swift
/// let asker = AskerLoop(task: task, configuration: .small, seed: 1)
/// let update = try await asker.update(answererStep: step, assistant: teacher, instanceSize: size)
/// let amplifier = Amplifier(task: task, supervisor: asker.supervisor, assistant: teacher)
/// let calls = asker.recordDeferredCalls()
/// asker.schedule.expertCalls          // the scarce resource
/// ```
public final class AskerLoop {
    /// Who gives H′'s demonstrations: the supervisor of each batch, told how many demonstrations
    /// came before it. The scripted expert by default; people in the web app number a batch's
    /// workspaces after the earlier batches', so that no two workspaces share a page.
    public typealias Demonstrator = @Sendable (_ demonstrationsBefore: Int) -> any Supervisor

    public let task: any AmplificationTask
    public let demonstrator: Demonstrator
    public let configuration: AskerConfiguration
    public let model: TranscriptModel
    public let trainer: AskerTrainer
    /// H′ as a supervisor (greedy decoding), remembering its actions while its weights stand still.
    public let supervisor: LearnedSupervisor
    /// Demonstrations owed and spent, and the expert-call count.
    public internal(set) var schedule: DemonstrationSchedule
    /// H′'s accuracy on the latest fresh demonstrations, measured before training on them.
    public internal(set) var latestAccuracy: ActionAccuracy?
    /// How demonstrations are amplified: ground truth forbidden by default (IA's rule; tests
    /// allow it for the ground-truth assistant).
    public let demonstrationAmplifier: AmplifierConfiguration
    /// H′ steps forgone while it was accurate (``AskerConfiguration/pauseLoss``).
    public internal(set) var pausedSteps = 0
    var rng: SplitMix64

    /// Weights from `split(stream: 1)` of `seed`, instances from stream 2, batch order from 3.
    /// H′ defers to the scripted expert (with ``AskerConfiguration/deferralProbability``) only
    /// when no `demonstrator` is given: that expert is the one demonstrating.
    public init(
        task: any AmplificationTask, configuration: AskerConfiguration, seed: UInt64,
        demonstrationAmplifier: AmplifierConfiguration = AmplifierConfiguration(groundTruth: .forbidden),
        demonstrator: Demonstrator? = nil
    ) {
        precondition(
            configuration.stepsPerAnswererStep >= 0 && configuration.leadSteps >= 0
                && configuration.deferralProbability.map { (0...1).contains($0) } ?? true,
            "AskerLoop: stepsPerAnswererStep and leadSteps must be ≥ 0 and deferralProbability in [0, 1], got \(configuration)")
        self.task = task
        self.demonstrator = demonstrator ?? { _ in ScriptedExpert(task: task) }
        self.configuration = configuration
        let root = SplitMix64(seed: seed)
        var weights = root.split(stream: 1)
        model = TranscriptModel(layout: TranscriptLayout(task: task), configuration: configuration.model, rng: &weights)
        trainer = AskerTrainer(model: model, configuration: configuration.training, seed: root.split(stream: 3).state)
        let deferral = configuration.deferralProbability.flatMap { probability in
            demonstrator == nil ? LearnedSupervisor.Deferral(expert: ScriptedExpert(task: task), probability: probability) : nil
        }
        supervisor = LearnedSupervisor(model: model, memoizes: true, deferral: deferral)
        schedule = DemonstrationSchedule(configuration: configuration.schedule)
        rng = root.split(stream: 2)
        self.demonstrationAmplifier = demonstrationAmplifier
    }

    /// Catches up with X at `answererStep`: generates the demonstrations now owed (``demonstrator``,
    /// `assistant` answering its non-leaf sub-questions, instances of `instanceSize`), measures
    /// H′ on them before training, buffers them, then trains H′ up to
    /// `⌊stepsPerAnswererStep × answererStep⌋ + leadSteps` steps, minus those forgone while it was
    /// accurate (``AskerConfiguration/pauseLoss``).
    ///
    /// - Throws: what the amplification throws.
    @discardableResult
    public func update(answererStep: Int, assistant: any Assistant, instanceSize: Int) async throws -> AskerUpdate {
        schedule.advance(toAnswererStep: answererStep)
        var update = AskerUpdate()
        while schedule.pendingBatchSize > 0 {
            let count = schedule.pendingBatchSize
            let instances = (0..<count).map { _ in task.makeInstance(size: instanceSize, using: &rng) }
            let batch = try await DemonstrationBatch.generate(
                task: task, expert: demonstrator(schedule.generated), instances: instances, assistant: assistant,
                seed: rng.next(), configuration: demonstrationAmplifier)
            // A near-perfect H′'s loss can round to a hair below 0 in Float: clamp.
            let freshLoss = batch.transcripts.isEmpty ? 0 : max(0, Double(trainer.loss(on: batch.transcripts)))
            if !batch.transcripts.isEmpty {
                latestAccuracy = ActionAccuracy.measure(model: model, on: batch.transcripts)
            }
            schedule.record(demonstrations: count, expertCalls: batch.expertCalls, freshLoss: freshLoss)
            trainer.add(batch.transcripts)
            update.demonstrations += count
            update.expertCalls += batch.expertCalls
            update.freshLoss = freshLoss
        }
        let paced = Int((configuration.stepsPerAnswererStep * Double(answererStep)).rounded(.down))
        let target = paced + configuration.leadSteps - pausedSteps
        if let pauseLoss = configuration.pauseLoss, let average = schedule.lossAverage, average < pauseLoss {
            pausedSteps += max(0, target - trainer.stepCount)
            return update
        }
        while trainer.isReady, trainer.stepCount < target {
            if let loss = trainer.step() { update.trainingLoss = Double(loss) }
            update.askerSteps += 1
        }
        if update.askerSteps > 0 { supervisor.forgetActions() }
        return update
    }

    /// Counts the actions ``supervisor`` deferred to the expert since the last call as expert
    /// calls (``DemonstrationSchedule/expertCalls``) and returns them: call it after each
    /// amplification.
    @discardableResult
    public func recordDeferredCalls() -> Int {
        let calls = supervisor.takeDeferredCalls()
        schedule.record(deferredCalls: calls)
        return calls
    }
}

/// What one ``AskerLoop/update(answererStep:assistant:instanceSize:)`` did.
public struct AskerUpdate: Sendable, Equatable {
    /// Demonstrations generated.
    public var demonstrations = 0
    /// Expert actions they cost.
    public var expertCalls = 0
    /// H′ steps taken.
    public var askerSteps = 0
    /// H′'s mean loss on the last fresh batch before training on it, if one was generated.
    public var freshLoss: Double?
    /// The loss of H′'s last training step, if one was taken.
    public var trainingLoss: Double?

    public init() {}
}
