@testable import Application
import Asker
import Distillation
import Foundation
@testable import IDACommand
import Testing

@Suite struct RunReportTests {
    @Test func jsonUsesTheDocumentedKeys() throws {
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(ReportFixtures.report)) as? [String: Any]
        let report = try #require(object)
        #expect(Set(report.keys) == ["task", "preset", "schedule", "supervisor", "seed", "run", "ia", "supervised", "wall_seconds"])
        let ia = try #require(report["ia"] as? [String: Any])
        #expect(Set(ia.keys) == [
            "accuracy", "accuracy_by_depth", "amp_accuracy", "amp_accuracy_by_depth", "supervisor_actions", "expert_calls",
            "leaf_lookups", "ground_truth_labels", "steps", "examples", "wall_seconds",
        ])
        let supervised = try #require(report["supervised"] as? [String: Any])
        #expect(Set(supervised.keys) == ["accuracy", "accuracy_by_depth", "ground_truth_labels", "steps", "examples", "wall_seconds"])
        #expect((ia["accuracy_by_depth"] as? [String: Double])?["2"] == 0.9)
    }

    @Test func aLearnedReportHasTheAskerPart() throws {
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(ReportFixtures.learnedReport)) as? [String: Any]
        let report = try #require(object)
        #expect(report["supervisor"] as? String == "learned")
        #expect((report["ia"] as? [String: Any])?["expert_calls"] as? Int == 1_056)
        let asker = try #require(report["asker"] as? [String: Any])
        #expect(Set(asker.keys) == [
            "action_accuracy", "latest_action_accuracy", "demonstrations", "steps", "paused_steps", "demonstration_rate",
        ])
        let accuracy = try #require(asker["action_accuracy"] as? [String: Double])
        #expect(accuracy == ["sub_question": 1, "answer": 0.9875])
    }

    @Test(arguments: [false, true])
    func jsonRoundTrips(learned: Bool) throws {
        var report = learned ? ReportFixtures.learnedReport : ReportFixtures.report
        report.frontier = [-1, 0, 2]
        #expect(try JSONDecoder().decode(RunReport.self, from: JSONEncoder().encode(report)) == report)
    }

    /// Reports stored before `--supervisor` existed were all scripted: they read `scripted`, and
    /// their expert calls are their supervisor actions.
    @Test func olderReportsDecodeAsScripted() throws {
        var object = try #require(
            JSONSerialization.jsonObject(with: JSONEncoder().encode(ReportFixtures.report)) as? [String: Any])
        object["supervisor"] = nil
        var ia = try #require(object["ia"] as? [String: Any])
        ia["expert_calls"] = nil
        ia["supervisor_actions"] = 777
        object["ia"] = ia
        let old = try JSONDecoder().decode(RunReport.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.supervisor == "scripted" && old.ia.counters.expertCalls == 777 && old.asker == nil)
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
        counters.amplification.supervisorActions = 50
        counters.expertCalls = 12
        counters.amplification.leafLookups = 20
        let round = RoundReport(round: 1, step: 100, evaluation: evaluation, frontier: 0, amplifiedFrontier: 1)
        let held = ActionAccuracy(subquestionTokens: 1, answerTokens: 0.9, subquestions: 1, answers: 0.75, transcriptCount: 8)
        let ia = DistillationReport(
            taskName: "t", targets: .amplification, schedule: .rounds, seed: 1, evaluation: evaluation,
            evaluations: [evaluation], rounds: [round], counters: counters, finalCurriculumSize: 8,
            asker: AskerReport(
                heldOutAccuracy: held, latestAccuracy: nil, demonstrations: 4, expertCalls: 12, steps: 30, pausedSteps: 0,
                rate: 1, freshLossAverage: 0.5))
        var supervisedCounters = counters
        supervisedCounters.groundTruthLabels = 400
        supervisedCounters.expertCalls = 0
        let supervised = DistillationReport(
            taskName: "t", targets: .groundTruth, schedule: .rounds, seed: 1, evaluation: evaluation,
            evaluations: [evaluation], rounds: [round], counters: supervisedCounters, finalCurriculumSize: 8)
        let report = RunReport(
            ia: .init(report: ia, wallSeconds: 3), supervised: .init(report: supervised, wallSeconds: 2), task: "t",
            preset: "tiny", schedule: "rounds", supervisor: "learned", seed: 1, run: "r", wallSeconds: 3.5)
        #expect(report.ia.accuracy == 5.0 / 8)
        #expect(report.ia.accuracyByDepth == ["0": 1, "1": 0.25])
        #expect(report.ia.ampAccuracy == 7.0 / 8)
        #expect(report.ia.ampAccuracyByDepth == ["0": 1, "1": 0.75])
        #expect(report.ia.counters == counters)
        #expect(report.supervisor == "learned")
        #expect(report.asker?.actionAccuracy == ActionAccuracyResult(subQuestion: 1, answer: 0.75))
        #expect(report.asker?.latestActionAccuracy == nil && report.asker?.demonstrations == 4 && report.asker?.steps == 30)
        #expect(report.ia.counters.groundTruthLabels == 0)
        #expect(report.supervised.counters.groundTruthLabels == 400)
        #expect(report.frontier == [0])
        #expect(report.ia.wallSeconds == 3)
    }
}
