import Amplification
import Tasks

/// A supervisor that first asks its own question, then behaves like `wrapped`: every non-leaf
/// question would recurse forever without the engine's loop detection.
public struct LoopingSupervisor: SynchronousSupervisor {
    public let wrapped: any SynchronousSupervisor

    public init(wrapping supervisor: any SynchronousSupervisor) {
        wrapped = supervisor
    }

    public var agent: Agent { .program("looping") }

    public func action(on workspace: Workspace) -> SupervisorAction {
        if workspace.exchanges.isEmpty {
            return .ask(workspace.question)
        }
        var rest = workspace
        rest.exchanges.removeFirst()
        return wrapped.action(on: rest)
    }
}
