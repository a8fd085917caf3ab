import Foundation
import Store

extension LearningCurvePlot {
    /// Draws the learning curves of `task` in the group run `group` from the stored evaluations
    /// and writes them to `<directory>/ida-<group id>-<task>.svg`; returns the file's path.
    ///
    /// - Throws: `CommandError.file` when the file cannot be written, `StoreError` from the store.
    static func write(task: String, group: RunRecord, store: any RunStore, directory: String) throws -> String {
        let children = try store.children(of: group.id).filter { $0.task == task }
        let ia = try children.filter { $0.kind == .ia }.flatMap { try store.evaluations(run: $0.id) }
        let supervised = try children.filter { $0.kind == .supervised }.flatMap { try store.evaluations(run: $0.id) }
        let plot = LearningCurvePlot(
            title: "\(task) · preset \(group.preset) · \(group.schedule) · seed \(group.seed) · run \(group.id)",
            ia: ia, supervised: supervised)
        let url = URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent("ida-\(group.id)-\(task).svg")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try plot.svg().write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw CommandError.file(path: url.path, problem: "cannot write the learning curves (choose another --output)")
        }
        return url.path
    }
}
