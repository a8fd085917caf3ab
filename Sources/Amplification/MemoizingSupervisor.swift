#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

/// A lookup table from workspace to action in front of any supervisor: what automating a
/// person's past answers is (Ought's Patchwork). A workspace seen before gets the stored action
/// without consulting the wrapped supervisor.
///
/// The key is the whole ``Workspace`` (question, exchanges and budget left): exactly what the
/// supervisor saw, so a hit returns what it would have answered if it is a function of what it
/// sees. Thread-safe; one cache is shared by every run that uses the same instance.
///
/// ```swift
/// let memo = MemoizingSupervisor(wrapping: person)
/// _ = try await Amplifier(task: task, supervisor: memo, assistant: x).run(queries, contexts: contexts)
/// memo.statistics   // (hits: 120, misses: 34)
/// ```
// Safe: `wrapped` is Sendable and immutable; cache and counters are touched only under `lock`,
// which is never held across the `await` on the wrapped supervisor.
public final class MemoizingSupervisor: Supervisor, @unchecked Sendable {
    public let wrapped: any Supervisor

    private let lock = NSLock()
    private var cache: [Workspace: SupervisorAction] = [:]
    private var hitCount = 0
    private var missCount = 0

    public init(wrapping supervisor: any Supervisor) {
        wrapped = supervisor
    }

    /// The wrapped supervisor's: a memo replays its actions.
    public var agent: Agent { wrapped.agent }

    /// Lookups answered from the cache, and lookups passed on to the wrapped supervisor.
    public var statistics: (hits: Int, misses: Int) {
        lock.withLock { (hitCount, missCount) }
    }

    /// The number of distinct workspaces stored.
    public var cachedCount: Int {
        lock.withLock { cache.count }
    }

    public func act(on workspace: Workspace) async throws -> SupervisorAction {
        try await act(on: [workspace])[0]
    }

    /// Answers hits from the cache and sends each distinct miss to the wrapped supervisor once,
    /// in one batched call; a workspace repeated within the batch counts as one miss and then hits.
    public func act(on workspaces: [Workspace]) async throws -> [SupervisorAction] {
        var actions = [SupervisorAction?](repeating: nil, count: workspaces.count)
        var misses: [Workspace] = []
        var missPositions: [Workspace: Int] = [:]
        lock.withLock {
            for (position, workspace) in workspaces.enumerated() {
                if let cached = cache[workspace] {
                    actions[position] = cached
                    hitCount += 1
                } else if missPositions[workspace] != nil {
                    hitCount += 1
                } else {
                    missPositions[workspace] = misses.count
                    misses.append(workspace)
                    missCount += 1
                }
            }
        }
        if !misses.isEmpty {
            let answered = try await wrapped.act(on: misses)
            guard answered.count == misses.count else {
                throw AmplificationError.resultCountMismatch(
                    agent: wrapped.name, expected: misses.count, received: answered.count)
            }
            lock.withLock {
                for (workspace, action) in zip(misses, answered) { cache[workspace] = action }
            }
            for position in workspaces.indices where actions[position] == nil {
                if let missPosition = missPositions[workspaces[position]] {
                    actions[position] = answered[missPosition]
                }
            }
        }
        return actions.compactMap { $0 }
    }
}
