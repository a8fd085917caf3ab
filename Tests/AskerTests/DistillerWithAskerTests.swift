import Amplification
import Asker
import Distillation
import Foundation
import Tasks
import Testing

/// H′ wired into the distillation loop (`DistillationConfiguration.asker`).
@Suite struct DistillerWithAskerTests {
    static func configuration(asker: AskerConfiguration?) -> DistillationConfiguration {
        var configuration = DistillationConfiguration.tiny
        configuration.steps = 30
        configuration.evaluation.interval = 0
        configuration.evaluation.instanceCount = 0
        configuration.checkpointInterval = 0
        configuration.asker = asker
        return configuration
    }

    static var tinyAsker: AskerConfiguration {
        var asker = AskerConfiguration.tiny
        asker.leadSteps = 20
        return asker
    }

    /// With H′ the targets' supervisor actions are H′'s; the expert is called only for
    /// demonstrations, and no ground truth is consumed.
    @Test(arguments: [1, 2] as [UInt64])
    func learnedRunCountsOnlyDemonstrationsAsExpertCalls(seed: UInt64) async throws {
        let distiller = try Distiller(
            task: PermutationPowering(.tiny), configuration: Self.configuration(asker: Self.tinyAsker), seed: seed)
        let report = try await distiller.run()
        let asker = try #require(distiller.asker)
        #expect(report.counters.expertCalls == asker.schedule.expertCalls && report.counters.expertCalls > 0)
        #expect(asker.schedule.generated >= DemonstrationScheduleConfiguration.tiny.initialDemonstrations)
        #expect(asker.trainer.stepCount > 0)
        #expect(report.counters.supervisorActions > 0 && report.counters.groundTruthLabels == 0)
    }

    /// Without H′ every supervisor action is an expert call; the baseline calls no expert.
    @Test func scriptedRunCountsEveryActionAndBaselineNone() async throws {
        let scripted = try Distiller(task: PermutationPowering(.tiny), configuration: Self.configuration(asker: nil), seed: 3)
        let report = try await scripted.run()
        #expect(scripted.asker == nil)
        #expect(report.counters.expertCalls == report.counters.supervisorActions && report.counters.expertCalls > 0)
        let baseline = try Distiller(
            task: PermutationPowering(.tiny), configuration: Self.configuration(asker: Self.tinyAsker), targets: .groundTruth,
            seed: 3)
        let baselineReport = try await baseline.run()
        #expect(baseline.asker == nil && baselineReport.counters.expertCalls == 0)
    }

    /// Runs stored before H′ existed still decode: no `expertCalls`, no `asker`.
    @Test func olderCountersAndConfigurationsDecode() throws {
        var counters = TrainingCounters()
        counters.steps = 7
        counters.expertCalls = 5
        var object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(counters)) as? [String: Any])
        #expect(object["expertCalls"] as? Int == 5)
        object["expertCalls"] = nil
        let old = try JSONDecoder().decode(TrainingCounters.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.steps == 7 && old.expertCalls == 0)

        var configuration = try #require(
            JSONSerialization.jsonObject(with: JSONEncoder().encode(DistillationConfiguration.tiny)) as? [String: Any])
        configuration["asker"] = nil
        let decoded = try JSONDecoder().decode(
            DistillationConfiguration.self, from: JSONSerialization.data(withJSONObject: configuration))
        #expect(decoded == DistillationConfiguration.tiny && decoded.asker == nil)
    }
}
