/// One workspace of a stored amplification tree, as the store keeps it: where it is in the tree,
/// what it was asked and answered, and its details as JSON.
///
/// The store does not read the content: questions and answers are the engine's content as JSON
/// text, and `detail` whatever the engine records of the node (its exchanges, actions, agents and
/// costs), so new kinds of content or supervisor need no migration.
public struct WorkspaceRecord: Sendable, Hashable {
    /// The path id in the run: `3`, `3.2`, `3.2.1` (ordinals from 1, see the engine's
    /// `WorkspaceID`).
    public var id: String
    /// The id of the workspace that asked this one's question; `nil` for a main question.
    public var parentID: String?
    /// 0 for a main question.
    public var depth: Int
    /// The index of the question's instance in the run.
    public var context: Int
    public var question: String
    /// `nil` until answered.
    public var answer: String?
    /// Who answered (`expert`, `leaf-lookup`, `person:7`, …); `nil` until answered.
    public var answeredBy: String?
    public var state: WorkspaceState
    public var detail: String

    public init(
        id: String, parentID: String?, depth: Int, context: Int, question: String, answer: String?,
        answeredBy: String?, state: WorkspaceState, detail: String
    ) {
        self.id = id
        self.parentID = parentID
        self.depth = depth
        self.context = context
        self.question = question
        self.answer = answer
        self.answeredBy = answeredBy
        self.state = state
        self.detail = detail
    }
}

/// Where a workspace is in its life. The schema checks the raw values.
public enum WorkspaceState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Waiting for its supervisor's next action.
    case acting
    /// Waiting for the answer to the sub-question it asked.
    case waiting
    /// Done: its answer is final.
    case answered
}
