/// A supervisor H: a policy from a workspace to an action (DESIGN §3).
///
/// The engine calls the batched form once per turn with every workspace ready to act, so a
/// supervisor that is slow per call (a person, a language model) can see them all at once; its
/// default loops over ``act(on:)-(Workspace)``. A supervisor that never suspends should also
/// conform to ``SynchronousSupervisor``: the engine then calls it directly, without an async
/// hop per action, and where it works sub-workspaces (HCH) works them depth first until each
/// waits for the assistant (the fast path of the scripted expert).
public protocol Supervisor: Sendable {
    /// Who it is, as traces and the store record it (`expert`, `h-prime`, `person:ID`, `llm:MODEL`).
    var agent: Agent { get }

    /// The next action on `workspace`.
    func act(on workspace: Workspace) async throws -> SupervisorAction

    /// The next action on each workspace, in order: `result.count == workspaces.count`.
    func act(on workspaces: [Workspace]) async throws -> [SupervisorAction]
}

extension Supervisor {
    /// The agent's text form, for messages and names (`Amp(expert, unknown)`).
    public var name: String { agent.description }

    public func act(on workspaces: [Workspace]) async throws -> [SupervisorAction] {
        var actions: [SupervisorAction] = []
        actions.reserveCapacity(workspaces.count)
        for workspace in workspaces {
            actions.append(try await act(on: workspace))
        }
        return actions
    }
}

/// A supervisor that answers at once, as a pure function of the workspace: the engine's fast path.
public protocol SynchronousSupervisor: Supervisor {
    /// The next action on `workspace`, without suspending.
    func action(on workspace: Workspace) -> SupervisorAction
}

extension SynchronousSupervisor {
    public func act(on workspace: Workspace) async throws -> SupervisorAction {
        action(on: workspace)
    }

    public func act(on workspaces: [Workspace]) async throws -> [SupervisorAction] {
        workspaces.map { action(on: $0) }
    }
}

/// A supervisor that takes one workspace per call and is slow per call, so several calls should be
/// in flight at once: a person (each workspace a page someone will answer), a language model. The
/// engine calls ``act(on:)-(Workspace)`` for each workspace ready for it, up to
/// ``maximumConcurrentActions`` at a time, and goes on with everything else meanwhile: a slow
/// supervisor holds up only the workspaces waiting for it.
public protocol ConcurrentSupervisor: Supervisor {
    /// How many of its calls may be in flight at once (at least 1).
    var maximumConcurrentActions: Int { get }

    /// The next action on `workspace` and who took it, for a supervisor that stands for several
    /// agents (the people of the web app, each `person:NAME`): an answer is recorded as that
    /// agent's; `nil` means ``Supervisor/agent``. The default is ``Supervisor/act(on:)-(Workspace)``
    /// and `nil`.
    func attributedAction(on workspace: Workspace) async throws -> (action: SupervisorAction, agent: Agent?)
}

extension ConcurrentSupervisor {
    public func attributedAction(on workspace: Workspace) async throws -> (action: SupervisorAction, agent: Agent?) {
        (try await act(on: workspace), nil)
    }
}

/// What the engine says about the call a ``ConcurrentSupervisor`` is in: it binds
/// ``workspaceID`` around each call of ``Supervisor/act(on:)-(Workspace)``, so a supervisor that
/// hands workspaces to people can name the one it hands out (in a page's address, the audit log,
/// a correction) while the workspace itself keeps to what a supervisor may see.
public enum SupervisorCall {
    /// The id of the workspace being acted on, in a concurrent supervisor's call; `nil` elsewhere.
    @TaskLocal public static var workspaceID: WorkspaceID?
}
