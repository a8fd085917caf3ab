import Amplification

/// A supervisor that stands in for a person: each workspace is handed out and the run waits
/// until the test supplies the action, exactly as a web page would hold a workspace until
/// someone answers it.
///
/// ```swift
/// let person = SuspendingSupervisor()
/// let run = Task { try await Amplifier(task: task, supervisor: person, assistant: x).run(queries, contexts: contexts) }
/// let workspace = await person.nextWorkspace()       // waits until the run asks
/// await person.supply(expert.action(on: workspace))  // the run resumes
/// ```
public actor SuspendingSupervisor: Supervisor {
    private var pending: [(workspace: Workspace, continuation: CheckedContinuation<SupervisorAction, any Error>)] = []
    private var readers: [CheckedContinuation<Workspace, Never>] = []
    private var handedOut = 0

    public init() {}

    public nonisolated var agent: Agent { .person("tester") }

    /// The number of workspaces handed out so far.
    public var workspacesHandedOut: Int { handedOut }

    /// The number of workspaces waiting for an action now.
    public var waitingCount: Int { pending.count }

    public func act(on workspace: Workspace) async throws -> SupervisorAction {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((workspace, continuation))
            handedOut += 1
            if !readers.isEmpty {
                readers.removeFirst().resume(returning: workspace)
            }
        }
    }

    /// The oldest workspace waiting for an action, waiting for the run to ask if none is.
    public func nextWorkspace() async -> Workspace {
        if let first = pending.first {
            return first.workspace
        }
        return await withCheckedContinuation { readers.append($0) }
    }

    /// Resumes the run on the oldest waiting workspace with `action`.
    ///
    /// - Precondition: a workspace is waiting.
    public func supply(_ action: SupervisorAction) {
        precondition(!pending.isEmpty, "SuspendingSupervisor.supply: no workspace is waiting for an action")
        pending.removeFirst().continuation.resume(returning: action)
    }
}
