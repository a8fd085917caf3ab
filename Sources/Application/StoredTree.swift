#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Amplification
import Foundation
import Store
import Tasks

/// Amplification trees in the store: one workspace row per workspace of the run, keyed by its
/// path id (`WorkspaceID`), written as the tree grows (``StoreJournal``), the engine's snapshot as
/// the row's detail; the run's report holds its progress. A tree is read back from the rows alone.
public enum StoredTree {
    /// A question or an answer as the store's columns keep it, named by its kind
    /// (`{"tokens":[3,4]}`, `{"text":"Tuesday"}`), so that a query in SQL can tell them apart.
    struct Column: Codable, Equatable {
        var tokens: [Int]?
        var text: String?

        init(_ content: Tasks.Content) {
            switch content.kind {
            case .tokens: tokens = content.tokens
            case .text: text = content.text
            }
        }
    }

    /// The row that keeps `snapshot`.
    static func record(of snapshot: WorkspaceSnapshot) throws -> WorkspaceRecord {
        let state: WorkspaceState =
            switch snapshot.state {
            case .acting: .acting
            case .waiting: .waiting
            case .answered: .answered
            }
        return WorkspaceRecord(
            id: snapshot.id.description, parentID: snapshot.id.parent?.description, depth: snapshot.id.depth,
            context: snapshot.context, question: try storedJSON(Column(snapshot.workspace.question)),
            answer: try snapshot.answer.map { try storedJSON(Column($0)) },
            answeredBy: snapshot.answer == nil ? nil : snapshot.answeredBy.description, state: state,
            detail: try storedJSON(snapshot))
    }

    /// The snapshots `records` keep.
    ///
    /// - Throws: ``ApplicationError/unreadableRun(run:problem:)`` when a row's detail is not a snapshot.
    static func snapshots(from records: [WorkspaceRecord], run: String) throws -> [WorkspaceSnapshot] {
        let decoder = JSONDecoder()
        return try records.map { record in
            guard let snapshot = try? decoder.decode(WorkspaceSnapshot.self, from: Data(record.detail.utf8)),
                snapshot.id.description == record.id
            else {
                throw ApplicationError.unreadableRun(run: run, problem: "workspace \(record.id) is not a stored workspace")
            }
            return snapshot
        }
    }

    /// The domain a stored tree's questions are in: free text for a run of `ida ask` or `ida
    /// amplify` (a ``TextJob``), else its task's.
    ///
    /// - Throws: ``ApplicationError/unreadableRun(run:problem:)`` for a run that keeps no tree;
    ///   the task catalog's error for a task or preset this ida does not know.
    public static func domain(of run: RunRecord) throws -> any Domain {
        guard run.kind == .hch else {
            throw ApplicationError.unreadableRun(run: run.id, problem: "its kind is \(run.kind.rawValue), not a stored tree")
        }
        if case .text? = try? job(of: run) { return TextDomain() }
        return TaskDomain(try TaskCatalog.configuration(task: run.task, preset: run.preset).makeTask())
    }

    /// The job a stored tree was grown by: free-text questions, or HCH on a task's instances.
    public enum Job: Sendable {
        case text(TextJob)
        case task(AmplificationJob)
    }

    /// The job in run `run`'s configuration.
    ///
    /// - Throws: ``ApplicationError/unreadableRun(run:problem:)`` when the run keeps no job's tree.
    public static func job(of run: RunRecord) throws -> Job {
        let decoder = JSONDecoder()
        let configuration = Data(run.configuration.utf8)
        if run.kind == .hch, let job = try? decoder.decode(TextJob.self, from: configuration) { return .text(job) }
        if run.kind == .hch, let job = try? decoder.decode(AmplificationJob.self, from: configuration) { return .task(job) }
        throw ApplicationError.unreadableRun(
            run: run.id,
            problem: "its kind is \(run.kind.rawValue), and only stored trees export (ida ask, ida amplify, ida hch, ida trace)")
    }

    /// The run as its journal left it, to resume: all of it, or the tree of main question `root`
    /// with the run's progress (what taking back an action in that tree reads).
    ///
    /// - Throws: ``ApplicationError/unreadableRun(run:problem:)`` when it has no workspaces or
    ///   progress, or they cannot be read.
    public static func saved(run: String, within root: WorkspaceID? = nil, in store: any RunStore) throws -> SavedAmplification {
        let records = try store.workspaces(run: run, within: root?.description)
        guard !records.isEmpty, let report = try store.run(id: run).report,
            let progress = try? JSONDecoder().decode(AmplificationProgress.self, from: Data(report.utf8))
        else {
            throw ApplicationError.unreadableRun(run: run, problem: "it has no saved workspaces and progress")
        }
        return SavedAmplification(workspaces: try snapshots(from: records, run: run), progress: progress)
    }

    /// The stored trees of run `run`: every main question's, or node `node`'s (a workspace or
    /// one of its exchanges) with what is below it. Unanswered questions show `unknown`.
    ///
    /// - Throws: ``ApplicationError/unreadableRun(run:problem:)``; returns `[]` when there is no
    ///   such node.
    public static func trees(run: String, node: WorkspaceID? = nil, unknown: Content, in store: any RunStore) throws
        -> [TraceNode]
    {
        guard let node else {
            let snapshots = try snapshots(from: store.workspaces(run: run), run: run)
            return TraceNode.trees(from: snapshots, unknown: unknown)
        }
        // The node's workspace is at or above it: read from its main question down.
        let root = WorkspaceID(root: node.path[0])
        let snapshots = try snapshots(from: store.workspaces(run: run, within: root.description), run: run)
        return TraceNode.tree(at: node, from: snapshots, unknown: unknown).map { [$0] } ?? []
    }

}

/// A run's journal in the store: each record is one transaction writing the changed workspaces'
/// rows and the run's progress (its report), so what is stored is always a state the run passed
/// through, and ``StoredTree/saved(run:in:)`` resumes from it.
public struct StoreJournal: WorkspaceJournal {
    public let store: any RunStore
    public let run: String

    public init(store: any RunStore, run: String) {
        self.store = store
        self.run = run
    }

    public func record(_ workspaces: [WorkspaceSnapshot], progress: AmplificationProgress) async throws {
        try store.recordWorkspaces(
            try workspaces.map(StoredTree.record(of:)), run: run, report: try storedJSON(progress))
    }
}
