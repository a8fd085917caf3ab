import Distillation
import Foundation
@testable import IDACommand
import Testing

@Suite struct RunReportTests {
    @Test func jsonUsesTheDocumentedKeys() throws {
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(ReportFixtures.report)) as? [String: Any]
        let report = try #require(object)
        #expect(Set(report.keys) == ["task", "preset", "schedule", "seed", "run", "ia", "supervised", "wall_seconds"])
        let ia = try #require(report["ia"] as? [String: Any])
        #expect(Set(ia.keys) == [
            "accuracy", "accuracy_by_depth", "amp_accuracy", "amp_accuracy_by_depth", "supervisor_actions", "leaf_lookups",
            "ground_truth_labels", "steps", "examples", "wall_seconds",
        ])
        let supervised = try #require(report["supervised"] as? [String: Any])
        #expect(Set(supervised.keys) == ["accuracy", "accuracy_by_depth", "ground_truth_labels", "steps", "examples", "wall_seconds"])
        #expect((ia["accuracy_by_depth"] as? [String: Double])?["2"] == 0.9)
    }

    @Test func jsonRoundTrips() throws {
        var report = ReportFixtures.report
        report.frontier = [-1, 0, 2]
        #expect(try JSONDecoder().decode(RunReport.self, from: JSONEncoder().encode(report)) == report)
    }

    @Test func buildsFromBothSidesReports() {
        let evaluation = EvaluationReport(
            step: 100, instanceSize: 8,
            depths: [
                DepthAccuracy(depth: 0, questionCount: 4, modelSampledCorrect: 4, modelGreedyCorrect: 4, amplifiedCorrect: 4),
                DepthAccuracy(depth: 1, questionCount: 4, modelSampledCorrect: 1, modelGreedyCorrect: 2, amplifiedCorrect: 3),
            ])
        var counters = TrainingCounters()
        counters.steps = 100
        counters.supervisorActions = 50
        counters.leafLookups = 20
        let round = RoundReport(round: 1, step: 100, evaluation: evaluation, frontier: 0, amplifiedFrontier: 1)
        let ia = DistillationReport(
            taskName: "t", targets: .amplification, schedule: .rounds, seed: 1, evaluation: evaluation,
            evaluations: [evaluation], rounds: [round], counters: counters, finalCurriculumSize: 8)
        var supervisedCounters = counters
        supervisedCounters.groundTruthLabels = 400
        let supervised = DistillationReport(
            taskName: "t", targets: .groundTruth, schedule: .rounds, seed: 1, evaluation: evaluation,
            evaluations: [evaluation], rounds: [round], counters: supervisedCounters, finalCurriculumSize: 8)
        let report = RunReport(
            ia: .init(report: ia, wallSeconds: 3), supervised: .init(report: supervised, wallSeconds: 2), task: "t",
            preset: "tiny", schedule: "rounds", seed: 1, run: "r", wallSeconds: 3.5)
        #expect(report.ia.accuracy == 5.0 / 8)
        #expect(report.ia.accuracyByDepth == ["0": 1, "1": 0.25])
        #expect(report.ia.ampAccuracy == 7.0 / 8)
        #expect(report.ia.ampAccuracyByDepth == ["0": 1, "1": 0.75])
        #expect(report.ia.supervisorActions == 50)
        #expect(report.ia.groundTruthLabels == 0)
        #expect(report.supervised.groundTruthLabels == 400)
        #expect(report.frontier == [0])
        #expect(report.ia.wallSeconds == 3)
    }
}
