import Store

/// Copies runs from one store to another (an SQLite file into PostgreSQL, say) with their ids:
/// `ida db copy`.
///
/// Each run goes in one transaction (``RunStore/importRun(_:)``), parents before the runs
/// grouped under them, so an interrupted copy leaves whole runs behind and a second copy picks
/// up where it stopped: a run whose id the destination already holds is skipped.
public enum StoreCopy {
    public enum Outcome: Sendable, Hashable {
        /// Copied, with how many metric samples, checkpoints and workspaces went with it.
        case copied(metrics: Int, checkpoints: Int, workspaces: Int)
        /// The destination already holds a run with this id.
        case alreadyThere
    }

    /// Copies `ids` (and the runs grouped under them), or every run when `ids` is empty, and
    /// reports each run's outcome as it goes.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)`` for an id the source does not hold (before
    ///   anything is copied); the destination's errors as they come.
    @discardableResult
    public static func copy(
        _ ids: [String], from source: any ServerStore, to destination: any ServerStore,
        progress: (RunRecord, Outcome) -> Void = { _, _ in }
    ) throws -> [(RunRecord, Outcome)] {
        var outcomes: [(RunRecord, Outcome)] = []
        for run in try selection(ids, in: source) {
            let outcome: Outcome
            if (try? destination.run(id: run.id)) != nil {
                outcome = .alreadyThere
            } else {
                let archive = try source.archive(run: run.id)
                try destination.importRun(archive)
                outcome = .copied(
                    metrics: archive.metrics.count, checkpoints: archive.checkpoints.count,
                    workspaces: archive.workspaces.count)
            }
            progress(run, outcome)
            outcomes.append((run, outcome))
        }
        return outcomes
    }

    /// The runs to copy, each after its parent: `ids` with everything grouped under them (and
    /// the runs they are grouped under, without their other runs), or every run.
    static func selection(_ ids: [String], in store: any RunStore) throws -> [RunRecord] {
        var ordered: [RunRecord] = []
        var seen: Set<String> = []
        func add(_ run: RunRecord) throws {
            guard seen.insert(run.id).inserted else { return }
            ordered.append(run)
            for child in try store.children(of: run.id) { try add(child) }
        }
        func addAncestors(of run: RunRecord) throws {
            guard let parentID = run.parentID, !seen.contains(parentID) else { return }
            let parent = try store.run(id: parentID)
            try addAncestors(of: parent)
            seen.insert(parentID)
            ordered.append(parent)
        }
        let requested = try ids.isEmpty ? store.runs().reversed().filter { $0.parentID == nil } : ids.map { try store.run(id: $0) }
        for run in requested {
            try addAncestors(of: run)
            try add(run)
        }
        return ordered
    }
}
