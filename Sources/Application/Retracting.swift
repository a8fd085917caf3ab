import Amplification
import Foundation
import Store

/// Taking back a stored run's action (a person's undo): the engine's retraction
/// (``SavedAmplification/retractingLastAction(of:matching:supervisorAgent:unknown:)``) on the run
/// as its journal left it, written back in one transaction. Nothing may be working the run while
/// its rows change: the caller halts it first and resumes it after.
public enum Retracting {
    /// What taking back workspace `node`'s last action of run `run` would change. Only `node`'s
    /// main question's tree is read (an action touches nothing outside it), so the retraction's
    /// `saved` is that tree with the run's progress.
    ///
    /// - Throws: ``RetractionRefusal`` when it is not the last action `matching` describes, or
    ///   something depends on it; ``ApplicationError/unreadableRun(run:problem:)``.
    public static func retraction(
        of node: WorkspaceID, run: String, matching: (SupervisorAction) -> Bool, supervisorAgent: Agent,
        in store: any RunStore
    ) throws -> Retraction {
        let unknown = try StoredTree.domain(of: store.run(id: run)).unknownAnswer
        return try StoredTree.saved(run: run, within: WorkspaceID(root: node.path[0]), in: store).retractingLastAction(
            of: node, matching: matching, supervisorAgent: supervisorAgent, unknown: unknown)
    }

    /// Writes `retraction` to run `run`'s tree and progress, in one transaction.
    public static func write(_ retraction: Retraction, run: String, in store: any RunStore) throws {
        try store.recordWorkspaces(
            try retraction.changed.map(StoredTree.record(of:)), removing: retraction.removed.map(\.description), run: run,
            report: try storedJSON(retraction.saved.progress), updatedAt: Date())
    }
}
