#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Amplification
import Foundation
import NeuralNetworks
import Tasks

/// One generation's work for IA's targets: the fresh instances and the seed of their main
/// questions. What a worker on another machine needs besides the teacher to grow exactly the
/// targets the trainer would.
public struct TargetRequest: Codable, Sendable, Hashable {
    public var instances: [TaskInstance]
    /// The seed `AssistantQuery.mainQuestions(of:seed:)` draws the main questions with.
    public var querySeed: UInt64

    public init(instances: [TaskInstance], querySeed: UInt64) {
        self.instances = instances
        self.querySeed = querySeed
    }

    /// The main questions, one per question of each instance, in order.
    public var queries: [AssistantQuery] { AssistantQuery.mainQuestions(of: instances, seed: querySeed) }
}

/// IA's targets for one ``TargetRequest``: Amp(H, X_teacher)'s answer to each main question, in
/// order, with what the amplification cost.
public struct TargetReply: Codable, Sendable, Hashable {
    public var answers: [Tokens]
    public var counters: AmplificationCounters
    /// Ground-truth answers the instances' ledger recorded while the targets grew: must be 0.
    public var groundTruthAnswersConsumed: Int

    public init(answers: [Tokens], counters: AmplificationCounters, groundTruthAnswersConsumed: Int) {
        self.answers = answers
        self.counters = counters
        self.groundTruthAnswersConsumed = groundTruthAnswersConsumed
    }
}

/// Who grows a generation's targets when the scripted expert is H: by default the trainer itself
/// (``TargetAmplification/amplify(_:task:teacher:configuration:supervisor:)``); workers on other
/// machines when the run shares its targets out (the application's `SharedTargets`).
///
/// An implementation must give the reply the trainer would compute itself, so that where the
/// targets are grown never changes the run's numbers.
public protocol TargetAmplifier: AnyObject {
    func amplify(_ request: TargetRequest, teacher: Answerer) async throws -> TargetReply
}

/// Growing IA's targets: the one code path the trainer and the workers share.
public enum TargetAmplification {
    /// Amp(`supervisor`, X_teacher) on `request`'s main questions, the amplifier forbidding
    /// ground truth, the teacher decoding as `configuration.assistantDecoding`.
    ///
    /// - Throws: ``DistillationError/groundTruthInTargets(count:)`` when ground truth reached
    ///   the targets; what the amplifier throws.
    public static func amplify(
        _ request: TargetRequest, task: any AmplificationTask, teacher: Answerer, configuration: DistillationConfiguration,
        supervisor: any Supervisor
    ) async throws -> TargetReply {
        let contexts = InstanceContext.contexts(for: request.instances, task: task)
        let amplifier = Amplifier(
            task: task, supervisor: supervisor, assistant: NeuralAssistant(model: teacher, mode: configuration.assistantDecoding),
            configuration: AmplifierConfiguration(budget: configuration.amplificationBudget, groundTruth: .forbidden))
        let result = try await amplifier.run(request.queries, contexts: contexts)
        let reply = TargetReply(
            answers: result.answers.map(\.tokens), counters: result.counters,
            groundTruthAnswersConsumed: contexts.first?.groundTruthAnswersConsumed ?? 0)
        try reply.checkNoGroundTruth()
        return reply
    }
}

extension TargetReply {
    /// - Throws: ``DistillationError/groundTruthInTargets(count:)`` when the ledger or the
    ///   amplifier's counters record a ground-truth answer.
    public func checkNoGroundTruth() throws(DistillationError) {
        guard groundTruthAnswersConsumed == 0, counters.groundTruthAnswers == 0 else {
            throw .groundTruthInTargets(count: max(groundTruthAnswersConsumed, counters.groundTruthAnswers))
        }
    }
}
