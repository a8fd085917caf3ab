@testable import Application
import Foundation
@testable import IDACommand
import Store

/// A store holding one finished `ida run` (the report of `ReportFixtures`) and one interrupted
/// run whose IA checkpoint is damaged, written directly (no training) with fixed dates.
struct StoredRunFixture {
    var completed: RunRecord
    var completedIA: RunRecord
    var interrupted: RunRecord

    static let created = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30 00:53:20 UTC

    /// Writes the fixture into a new database at `path` and closes it.
    static func make(at path: String) throws -> StoredRunFixture {
        let store = try SQLiteStore(path: path)
        let report = ReportFixtures.report
        let configuration = JobConfiguration(
            tasks: ["permutation"], preset: "small", schedule: .continuous, seed: 7, steps: nil, checkpointInterval: nil,
            evaluationInterval: nil)
        var group = try store.createRun(
            NewRun(
                kind: .group, task: "permutation", preset: "small", schedule: "continuous",
                configuration: try configuration.json(), seed: 7, createdAt: created))
        var stored = report
        stored.run = group.id
        group = try store.updateRun(
            group.id, status: .completed, updatedAt: created, wallSeconds: report.wallSeconds,
            report: try storedJSON(stored))
        let ia = try store.createRun(
            NewRun(
                kind: .ia, task: "permutation", preset: "small", schedule: "continuous", configuration: "{}", seed: 7,
                createdAt: created.addingTimeInterval(1), parentID: group.id))
        let supervised = try store.createRun(
            NewRun(
                kind: .supervised, task: "permutation", preset: "small", schedule: "continuous", configuration: "{}",
                seed: 7, createdAt: created.addingTimeInterval(2), parentID: group.id))
        try store.commit(
            RunBatch(
                metrics: [MetricSample(step: 200, name: "loss", value: 0.5)], evaluations: ReportFixtures.ia), run: ia.id)
        try store.commit(
            RunBatch(
                metrics: [MetricSample(step: 200, name: "loss", value: 0.4)], evaluations: ReportFixtures.supervised),
            run: supervised.id)
        let completedIA = try store.updateRun(ia.id, status: .completed, updatedAt: created)
        try store.updateRun(supervised.id, status: .completed, updatedAt: created)

        let tiny = JobConfiguration(
            tasks: ["permutation"], preset: "tiny", schedule: .continuous, seed: 8, steps: nil, checkpointInterval: nil,
            evaluationInterval: nil)
        var interrupted = try store.createRun(
            NewRun(
                kind: .group, task: "permutation", preset: "tiny", schedule: "continuous",
                configuration: try tiny.json(), seed: 8, createdAt: created.addingTimeInterval(10)))
        interrupted = try store.updateRun(interrupted.id, status: .interrupted, updatedAt: created)
        let damaged = try store.createRun(
            NewRun(
                kind: .ia, task: "permutation", preset: "tiny", schedule: "continuous", configuration: "{}", seed: 8,
                createdAt: created.addingTimeInterval(11), parentID: interrupted.id))
        try store.commit(
            RunBatch(
                metrics: [MetricSample(step: 100, name: "loss", value: 0.9)],
                checkpoint: CheckpointRecord(
                    step: 100, formatVersion: 1, payload: Array("not a training state".utf8), trainerState: "{}",
                    createdAt: created)),
            run: damaged.id)
        try store.close()
        return StoredRunFixture(completed: group, completedIA: completedIA, interrupted: interrupted)
    }

    /// Every row of every table, as text: what "no stored run is damaged" compares.
    static func dump(_ path: String) throws -> String {
        let store = try SQLiteStore(path: path)
        defer { try? store.close() }
        var lines: [String] = []
        for run in try store.runs() {
            lines.append("\(run)")
            lines.append("\(try store.metricSeries(run: run.id).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" })")
            lines.append("\(try store.evaluations(run: run.id))")
            lines.append("\(try store.checkpoints(run: run.id))")
            lines.append("\(try store.latestCheckpoint(run: run.id).map(\.payload) ?? [])")
        }
        return lines.joined(separator: "\n")
    }
}
