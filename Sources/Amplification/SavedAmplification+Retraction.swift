import Tasks

/// Why a workspace's last action cannot be taken back.
public enum RetractionRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case noSuchWorkspace(WorkspaceID)
    /// The workspace has taken no action, or its last action is not the one to take back.
    case notItsLastAction(WorkspaceID)
    /// Something was done with the action since: its reason.
    case dependedOn(WorkspaceID, String)

    public var description: String {
        switch self {
        case .noSuchWorkspace(let id): "there is no workspace \(id)"
        case .notItsLastAction(let id): "it is no longer the last action of workspace \(id)"
        case .dependedOn(let id, let reason): "workspace \(id) depends on it: \(reason)"
        }
    }
}

/// What taking back an action changed: the run to resume (or the part of it the retraction was
/// given), the workspaces to write again and those to remove (a sub-workspace the action opened).
public struct Retraction: Sendable {
    public var saved: SavedAmplification
    public var changed: [WorkspaceSnapshot]
    public var removed: [WorkspaceID]
}

extension SavedAmplification {
    /// This run with workspace `id`'s last action taken back, as though its supervisor had not
    /// yet taken it: resumed, the workspace is offered to its supervisor again. Possible only
    /// while nothing depends on the action:
    ///
    /// - a sub-question answered by the engine (a lookup of a hidden fact, a loop, the depth
    ///   limit) while the workspace has not acted since; or one left with the assistant, not yet
    ///   answered; or one that opened a sub-workspace on which nobody has acted;
    /// - an answer, while the workspace that asked the question has not acted since.
    ///
    /// An answer from the assistant, a sub-workspace's action, or a later action of the asking
    /// workspace depends on it: those are refused, and so is an answer forced by a spent budget
    /// (not an action to take back). Counters and budgets give back what the action spent, and the
    /// workspace's random stream the seed it drew, so that the same action taken again grows the
    /// same tree.
    ///
    /// - Parameters:
    ///   - matching: whether the workspace's last action is the one meant (another may have
    ///     followed it).
    ///   - supervisorAgent: who the workspace's supervisor is (an unanswered workspace's
    ///     `answeredBy`).
    ///   - unknown: the domain's unknown answer (what a sub-question shows until answered).
    public func retractingLastAction(
        of id: WorkspaceID, matching: (SupervisorAction) -> Bool = { _ in true }, supervisorAgent: Agent,
        unknown: Content
    ) throws(RetractionRefusal) -> Retraction {
        var byID: [WorkspaceID: Int] = [:]
        for (index, snapshot) in workspaces.enumerated() { byID[snapshot.id] = index }
        guard let index = byID[id] else { throw .noSuchWorkspace(id) }
        var snapshot = workspaces[index]
        guard let action = snapshot.actions.last, matching(action), snapshot.rejections == 0 else {
            throw .notItsLastAction(id)
        }
        var result = self
        var changed: [WorkspaceSnapshot] = []
        var removed: [WorkspaceID] = []
        switch action {
        case .answer(let answer):
            guard snapshot.state == .answered, snapshot.answer == answer, snapshot.answeredBy != .budget else {
                throw .notItsLastAction(id)
            }
            if let parentID = id.parent {
                guard let parentIndex = byID[parentID] else { throw .noSuchWorkspace(parentID) }
                var parent = workspaces[parentIndex]
                let ordinal = id.path[id.depth]
                guard parent.state == .acting, parent.workspace.exchanges.count == ordinal,
                    parent.actions.last == .ask(snapshot.workspace.question)
                else {
                    throw .dependedOn(parentID, "the workspace that asked has acted on the answer")
                }
                parent.workspace.exchanges[ordinal - 1].answer = unknown
                parent.state = .waiting
                result.workspaces[parentIndex] = parent
                changed.append(parent)
            }
            snapshot.state = .acting
            snapshot.answer = nil
            snapshot.answeredBy = supervisorAgent
        case .ask(let question):
            guard snapshot.state != .answered else { throw .notItsLastAction(id) }
            if snapshot.state == .waiting, let asked = snapshot.assistantQuestion {
                guard asked.question == question else { throw .notItsLastAction(id) }
                snapshot.assistantQuestion = nil
                snapshot.random.stepBack()
            } else {
                guard let source = snapshot.sources.last, snapshot.workspace.exchanges.last?.question == question else {
                    throw .notItsLastAction(id)
                }
                switch source {
                case .workspace:
                    let childID = id.child(snapshot.sources.count)
                    guard let childIndex = byID[childID] else { throw .noSuchWorkspace(childID) }
                    let child = workspaces[childIndex]
                    guard child.actions.isEmpty, child.state == .acting else {
                        throw .dependedOn(childID, "someone has acted on the sub-question")
                    }
                    removed.append(childID)
                    snapshot.random.stepBack()
                case .answered(.leafLookup):
                    result.progress.counters.leafLookups -= 1
                case .answered(.loop):
                    result.progress.counters.loopsDetected -= 1
                case .answered(.budget):
                    result.progress.counters.budgetExhaustions -= 1
                case .answered, .trace:
                    throw .dependedOn(id, "the assistant has answered the sub-question")
                }
                guard snapshot.state == .acting || source == .workspace else {
                    throw .notItsLastAction(id)
                }
                snapshot.workspace.exchanges.removeLast()
                snapshot.sources.removeLast()
            }
            snapshot.workspace.subquestionsLeft += 1
            snapshot.state = .acting
        }
        snapshot.actions.removeLast()
        result.workspaces[index] = snapshot
        changed.insert(snapshot, at: 0)
        result.workspaces.removeAll { removed.contains($0.id) }
        result.progress.counters.supervisorActions -= 1
        result.progress.supervisorActionsLeft += 1
        return Retraction(saved: result, changed: changed, removed: removed)
    }
}
