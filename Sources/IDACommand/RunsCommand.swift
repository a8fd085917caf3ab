import ArgumentParser
import Distillation
import Foundation
import Store

/// `ida runs`: the stored runs, newest first, each group followed by its IA and supervised runs.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the stored runs: id, task, preset, schedule, status, steps, accuracy, created.",
        discussion: """
            A run started by `ida run` is a group (one line) with its IA and supervised runs \
            indented beneath (with --method rlhf or rl-oracle, its rlhf run). Steps are the last \
            step with a stored metric; accuracy is X's (an RL run's policy's) on the held-out set \
            at the latest evaluation (sampled answers).
            """
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let runStore = try store.openExisting()
        print(try Self.listing(runStore), terminator: "")
    }

    /// The whole listing, one row per run.
    static func listing(_ store: any RunStore) throws -> String {
        let runs = try store.runs()
        guard !runs.isEmpty else { return "no runs stored yet (`ida run` starts one)\n" }
        var rows = [["id", "kind", "task", "preset", "schedule", "status", "steps", "accuracy", "created"]]
        let children = Dictionary(grouping: runs.filter { $0.parentID != nil }, by: { $0.parentID ?? "" })
        for run in runs where run.parentID == nil {
            rows.append(try row(run, store: store, indent: ""))
            for child in (children[run.id] ?? []).sorted(by: { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }) {
                rows.append(try row(child, store: store, indent: "  "))
            }
        }
        return ReportTable.table(rows, leftAligned: { ![6, 7].contains($0) }).map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
            .joined(separator: "\n") + "\n"
    }

    static func row(_ run: RunRecord, store: any RunStore, indent: String) throws -> [String] {
        var steps = "-"
        var accuracy = "-"
        if run.kind != .group {
            if let step = try store.lastMetricStep(run: run.id) { steps = String(step) }
            let model: EvaluatedModel = run.kind == .ia ? .x : run.kind == .rlhf ? .policy : .supervised
            if let latest = try store.overallAccuracy(run: run.id, model: model).last {
                accuracy = ReportTable.percent(latest.value)
            }
        }
        return [
            indent + run.id, run.kind.rawValue, run.task, run.preset, run.schedule, run.status.rawValue, steps, accuracy,
            created(run.createdAt),
        ]
    }

    /// `2026-11-29 00:10` in UTC.
    static func created(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
