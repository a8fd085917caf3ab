import Amplification
@testable import Asker
import NeuralNetworks
import Tasks
import Testing

@Suite struct AskerLoopEvaluationTests {
    /// Held-out transcripts are the expert's full decompositions of every question, and an
    /// untrained H′ scores worse on them than one trained on demonstrations.
    @Test(arguments: [5] as [UInt64])
    func heldOutAccuracyRisesAsHPrimeLearns(seed: UInt64) async throws {
        let instances = Fixtures.instances(count: 8, seed: seed + 1000)
        let heldOut = try await AskerLoop.heldOutTranscripts(
            task: Fixtures.task, instances: instances, budget: .tiny, seed: seed)
        #expect(heldOut.count == instances.reduce(0) { $0 + $1.questions.count })
        var configuration = AskerConfiguration.tiny
        configuration.leadSteps = 150
        configuration.pauseLoss = nil
        let loop = AskerLoop(task: Fixtures.task, configuration: configuration, seed: seed, demonstrationAmplifier: Fixtures.groundTruth)
        let before = try #require(loop.accuracy(on: heldOut))
        try await loop.update(answererStep: 0, assistant: GroundTruthAssistant(), instanceSize: Fixtures.task.size)
        let after = try #require(loop.accuracy(on: heldOut))
        #expect(after.subquestions > before.subquestions && after.answers > before.answers, "\(before) → \(after)")
        #expect(after.subquestions >= 0.9, "\(after)")
        #expect(loop.accuracy(on: []) == nil)
    }

    @Test func reportSaysWhatTheLoopDid() async throws {
        let loop = AskerLoop(task: Fixtures.task, configuration: .tiny, seed: 2, demonstrationAmplifier: Fixtures.groundTruth)
        try await loop.update(answererStep: 0, assistant: GroundTruthAssistant(), instanceSize: Fixtures.task.size)
        let held = ActionAccuracy(subquestionTokens: 1, answerTokens: 0.5, subquestions: 1, answers: 0.25, transcriptCount: 4)
        let report = loop.report(heldOutAccuracy: held)
        #expect(report.heldOutAccuracy == held && report.latestAccuracy == loop.latestAccuracy)
        #expect(report.demonstrations == loop.schedule.generated && report.demonstrations > 0)
        #expect(report.expertCalls == loop.schedule.expertCalls && report.steps == loop.trainer.stepCount)
        #expect(report.rate == loop.schedule.rate && report.freshLossAverage == loop.schedule.lossAverage)
        #expect(report.pausedSteps == loop.pausedSteps)
    }
}
