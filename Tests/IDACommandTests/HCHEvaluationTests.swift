import Application
import Foundation
@testable import IDACommand
import Tasks
import Testing

@Suite struct HCHEvaluationTests {
    /// The staircase on every task: accuracy 1 on and below the diagonal.
    @Test(arguments: TaskCatalog.taskNames, ["tiny", "small"])
    func everyTaskClimbsTheStaircase(taskName: String, preset: String) async throws {
        let task = try TaskCatalog.task(named: taskName, preset: preset)
        let evaluation = try await HCHEvaluation.evaluate(task: task.name, preset: preset, maxDepth: 4, count: 3, seed: 9)
        #expect(evaluation.questions == evaluation.rows.filter { $0.hchDepth == 0 }.reduce(0) { $0 + $1.count })
        for row in evaluation.rows where row.questionDepth <= row.hchDepth {
            #expect(row.accuracy == 1.0, "HCH_\(row.hchDepth) at depth \(row.questionDepth)")
            #expect(row.correct == row.count)
        }
        #expect(evaluation.total.groundTruthAnswers == 0)
        #expect(evaluation.costs.map(\.hchDepth) == Array(0...4))
        // The JSON's totals are the sums of the costs per n.
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(evaluation.json().utf8)) as? [String: Any])
        #expect(json["supervisor_actions"] as? Int == evaluation.costs.reduce(0) { $0 + $1.counters.supervisorActions })
        #expect(json["leaf_lookups"] as? Int == evaluation.costs.reduce(0) { $0 + $1.counters.leafLookups })
        #expect(json["ground_truth_answers"] as? Int == 0)
    }

    @Test func equalSeedsGiveEqualReports() async throws {
        let task = try TaskCatalog.task(named: "union-find", preset: "tiny")
        let first = try await HCHEvaluation.evaluate(task: task.name, preset: "tiny", maxDepth: 2, count: 2, seed: 5)
        let second = try await HCHEvaluation.evaluate(task: task.name, preset: "tiny", maxDepth: 2, count: 2, seed: 5)
        #expect(first == second)
        #expect(try first.json() == second.json())
    }
}
