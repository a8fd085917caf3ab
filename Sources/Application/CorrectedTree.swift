import Amplification
import Foundation
import Store
import Tasks

/// A stored tree as people corrected it: each corrected workspace answers with its latest
/// version, which its parent's exchange shows too; the tree as grown stays in the store, and each
/// version keeps the answer it replaced, so nothing is overwritten and a rerun that writes the
/// tree's rows again cannot undo a correction.
///
/// An answer that was given with a corrected answer in view is *stale*: every ancestor of a
/// corrected workspace, unless that ancestor was itself corrected later. Stale answers are shown
/// as such and left out of training data (their supervisor decided on an answer now known
/// wrong); recomputing them is a new amplification of their workspaces.
public struct CorrectedTree: Sendable {
    /// The workspaces, with the corrections applied.
    public var snapshots: [WorkspaceSnapshot]
    /// The latest correction of each corrected workspace.
    public var latest: [WorkspaceID: CorrectionRecord]
    /// Every version, by workspace, oldest first.
    public var versions: [WorkspaceID: [CorrectionRecord]]
    /// The workspaces whose answers depended on a corrected one.
    public var stale: Set<WorkspaceID>

    /// Run `run`'s stored tree with its corrections.
    ///
    /// - Throws: ``ApplicationError/unreadableRun(run:problem:)``.
    public static func load(run: String, in store: any ServerStore) throws -> CorrectedTree {
        try CorrectedTree(
            snapshots: StoredTree.snapshots(from: store.workspaces(run: run), run: run), corrections: store.corrections(run: run),
            run: run)
    }

    /// `snapshots` with `corrections` applied.
    ///
    /// - Throws: ``ApplicationError/unreadableRun(run:problem:)`` for a correction of no stored
    ///   workspace, or one whose content cannot be read.
    public init(snapshots: [WorkspaceSnapshot], corrections: [CorrectionRecord], run: String) throws {
        var versions: [WorkspaceID: [CorrectionRecord]] = [:]
        for correction in corrections {
            guard let id = WorkspaceID(correction.node) else {
                throw ApplicationError.unreadableRun(run: run, problem: "a correction names workspace \(correction.node), which is no id")
            }
            versions[id, default: []].append(correction)
        }
        for id in versions.keys { versions[id]!.sort { $0.version < $1.version } }
        let latest = versions.mapValues { $0.last! }

        var snapshots = snapshots
        let index = Dictionary(uniqueKeysWithValues: snapshots.indices.map { (snapshots[$0].id, $0) })
        let decoder = JSONDecoder()
        for (id, correction) in latest {
            guard let position = index[id] else {
                throw ApplicationError.unreadableRun(run: run, problem: "workspace \(id) is corrected but not stored")
            }
            guard let answer = try? decoder.decode(Content.self, from: Data(correction.after.utf8)) else {
                throw ApplicationError.unreadableRun(run: run, problem: "the correction of workspace \(id) cannot be read")
            }
            snapshots[position].answer = answer
            snapshots[position].answeredBy = .person(correction.author)
            if let parent = id.parent, let parentPosition = index[parent] {
                let exchange = id.path.last! - 1
                if snapshots[parentPosition].workspace.exchanges.indices.contains(exchange) {
                    snapshots[parentPosition].workspace.exchanges[exchange].answer = answer
                }
            }
        }
        var stale: Set<WorkspaceID> = []
        for (id, correction) in latest {
            var ancestor = id.parent
            while let above = ancestor {
                if (latest[above]?.at ?? .distantPast) < correction.at { stale.insert(above) }
                ancestor = above.parent
            }
        }
        self.snapshots = snapshots
        self.latest = latest
        self.versions = versions
        self.stale = stale
    }

    /// The trees, as ``StoredTree/trees(run:node:unknown:in:)`` shows them, with the corrections.
    public func trees(unknown: Content) -> [TraceNode] {
        TraceNode.trees(from: snapshots, unknown: unknown)
    }
}

/// Correcting a stored answer.
public enum Correcting {
    /// Adds a correction of workspace `node` of run `run` to `answer`, checked by the run's
    /// domain; returns the version added. `confirming`: a stale answer given again, which may
    /// equal the one it replaces (the version records that it was checked with the answers
    /// below it as they now stand).
    ///
    /// - Throws: ``ApplicationError/invalidJob(_:)`` for a workspace the run does not have, an
    ///   answer the domain cannot read, or (unless `confirming`) one equal to the answer it
    ///   would correct.
    public static func correct(
        run: String, node: WorkspaceID, answer text: String, reason: String, by author: String, at: Date,
        confirming: Bool = false, in store: any ServerStore
    ) throws -> CorrectionRecord {
        let record = try store.run(id: run)
        let domain = try StoredTree.domain(of: record)
        let tree = try CorrectedTree.load(run: run, in: store)
        guard let snapshot = tree.snapshots.first(where: { $0.id == node }) else {
            throw ApplicationError.invalidJob("run \(run) has no workspace \(node)")
        }
        let answer: Content
        do {
            answer = try domain.parse(text, subquestion: false)
        } catch {
            throw ApplicationError.invalidJob("\(error)")
        }
        if let rejection = domain.rejection(of: .answer(answer)) { throw ApplicationError.invalidJob(rejection.description) }
        guard confirming || snapshot.answer != answer else {
            throw ApplicationError.invalidJob("workspace \(node) already answers \(domain.render(answer))")
        }
        return try store.addCorrection(
            CorrectionRecord(
                run: run, node: node.description, author: author, at: at, before: try snapshot.answer.map(storedJSON),
                after: try storedJSON(answer), reason: reason))
    }
}
