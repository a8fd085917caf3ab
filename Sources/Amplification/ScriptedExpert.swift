import Tasks

/// The task's scripted expert H as a supervisor: `task.expertStep` applied to the workspace.
///
/// It reads only the question and the exchanges (never the facts, never the budget), so it is a
/// pure function and runs on the engine's synchronous fast path.
public struct ScriptedExpert: SynchronousSupervisor {
    public let task: any AmplificationTask

    public init(task: any AmplificationTask) {
        self.task = task
    }

    public var agent: Agent { .expert }

    public func action(on workspace: Workspace) -> SupervisorAction {
        // The question's tokens read in place (no copy per action); text, which a task's domain
        // refuses before any workspace opens, reads as no tokens, as `Content.tokens` has it.
        let step = workspace.question.withTokens { task.expertStep(question: $0, transcript: workspace.exchanges) }
        return SupervisorAction(step ?? task.expertStep(question: [], transcript: workspace.exchanges))
    }
}
