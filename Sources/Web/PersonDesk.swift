import Amplification
import Foundation
import Synchronization

/// Where a workspace waits for a person: one desk for every run the server hosts.
///
/// The engine asks a run's ``PersonSupervisor`` for an action; the supervisor leaves the
/// workspace here and waits. A signed-in person takes the oldest workspace nobody holds (their own
/// first: a workspace comes back to whoever last worked it, as it does after a lookup), acts on
/// it, and the run goes on. A paused run hands nothing out and takes no action; a stopped one
/// throws `CancellationError` into every call still waiting.
actor PersonDesk {
    /// A workspace of a run.
    struct Key: Hashable, Sendable, CustomStringConvertible {
        let run: String
        let node: WorkspaceID
        var description: String { "\(run)/\(node)" }
    }

    /// Why an action was not taken.
    enum Refusal: Error, Equatable, CustomStringConvertible {
        case notWaiting
        case heldByAnother
        case paused
        case halted
        case tooClose
        case notStored

        var description: String {
            switch self {
            case .notStored:
                "your action was not stored: its question ended before it could be (its run stopped, or another server took the question over)"
            case .halted: "the run is going back over an action someone undid: try again in a moment"
            case .tooClose: "you have worked a workspace above or below this one, so someone else must take it"
            case .notWaiting: "this workspace is not waiting for an action (it was answered, or its run stopped)"
            case .heldByAnother: "someone else is working on this workspace"
            case .paused: "the run is paused: nothing can be done until a researcher resumes it"
            }
        }
    }

    private struct Waiting {
        let workspace: Workspace
        /// The engine's call waiting for the action; `nil` for a review (a stale answer to be
        /// given again, which the web app stores as a correction).
        let continuation: CheckedContinuation<(action: SupervisorAction, person: String), any Error>?
        /// Whether the run journals its workspaces, so that an action is acknowledged once stored;
        /// a demonstration for H′ is not stored (a restarted training asks for it again).
        var journaled = true
        /// When it arrived: workspaces are handed out oldest first.
        let arrival: Int
        var holder: String?
        /// When the holder was handed it (or it came back to them).
        var handedAt: Date?
        var skippedBy: Set<String> = []
    }

    private var waiting: [Key: Waiting] = [:]
    private var arrivals = 0
    /// How long a person may hold a workspace without acting before someone else may take it
    /// (someone who left without skipping or signing out must not hold it forever).
    let holdLimit: TimeInterval

    /// Whether people are kept apart: no one is handed a workspace above or below one they have
    /// acted on in the same run. Whoever asked a question knows what its answer is for, and
    /// whoever answered a sub-question knows part of the answer above it: working both, a person
    /// carries information HCH's copies would not share (Mosaic's "information contamination").
    let keepsApart: Bool
    /// The workspaces each person has acted on, by run (only when ``keepsApart``).
    private var worked: [String: [String: Set<WorkspaceID>]] = [:]

    init(holdLimit: TimeInterval = 15 * 60, keepsApart: Bool = false) {
        self.holdLimit = holdLimit
        self.keepsApart = keepsApart
    }

    /// `person` acted on workspace `node` of `run` (at an action, or from the audit log when the
    /// server starts).
    func noteWorked(_ node: WorkspaceID, of run: String, by person: String) {
        if keepsApart { worked[run, default: [:]][person, default: []].insert(node) }
    }

    /// Whether `person` may be handed `key`: always, unless people are kept apart and they have
    /// acted on a workspace above or below it.
    private func fits(_ key: Key, for person: String) -> Bool {
        guard keepsApart, let nodes = worked[key.run]?[person] else { return true }
        return !nodes.contains { $0 != key.node && ($0.isWithin(key.node) || key.node.isWithin($0)) }
    }
    /// Who last held each workspace: it goes back to them when the engine offers it again.
    private var lastHolder: [Key: String] = [:]
    private var paused: Set<String> = []
    private var stopped: Set<String> = []
    /// Runs taking no more actions until they are stopped and reopened (to be resumed from their
    /// journal).
    private var halted: Set<String> = []
    /// When each run was last reopened after a halt: its workspaces come back as the resumed run
    /// offers them, a moment later.
    private var reopened: [String: Date] = [:]
    /// One more at every change a page could show (a workspace arrives, is taken, acted on or
    /// skipped; a run pauses, resumes, stops or ends): what live pages wait on.
    private(set) var version = 0
    private var watchers: [UUID: CheckedContinuation<Void, Never>] = [:]
    /// People's actions handed to the engine and not yet in the store, by workspace: each is
    /// acknowledged (true) once the journal has recorded its workspace, or refused (false) when
    /// its run or question ends first.
    private var unrecorded: [Key: [CheckedContinuation<Bool, Never>]] = [:]

    /// Leaves `workspace` for a person and waits for their action and their name (the
    /// supervisor's call).
    ///
    /// - Throws: `CancellationError` when the run is stopped, or the calling task is cancelled
    ///   (a queued question whose lease another server took): the workspace leaves the desk.
    func wait(for key: Key, workspace: Workspace, journaled: Bool = true) async throws -> (action: SupervisorAction, person: String) {
        if stopped.contains(key.run) { throw CancellationError() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                // The continuation is registered on the actor without a suspension after this
                // check, so a cancellation either is seen here or withdraws the entry below.
                if Task.isCancelled { return continuation.resume(throwing: CancellationError()) }
                assert(waiting[key]?.continuation == nil, "PersonDesk: two calls wait on workspace \(key) (two engines on one run)")
                arrivals += 1
                waiting[key] = Waiting(
                    workspace: workspace, continuation: continuation, journaled: journaled, arrival: arrivals,
                    holder: lastHolder[key], handedAt: lastHolder[key] == nil ? nil : Date())
                changed()
            }
        } onCancel: {
            Task { await self.withdraw(key) }
        }
    }

    /// Ends the engine's call waiting on `key` with `CancellationError` (its task was cancelled).
    private func withdraw(_ key: Key) {
        guard let continuation = waiting[key]?.continuation else { return }
        waiting[key] = nil
        continuation.resume(throwing: CancellationError())
        changed()
    }

    /// The workspace `person` holds, else the oldest one nobody holds that they have not skipped,
    /// now held by them (`handedOut`); `nil` when none is waiting (or all are in paused runs).
    func take(for person: String) -> (key: Key, workspace: Workspace, handedOut: Bool)? {
        if let held = waiting.filter({ $0.value.holder == person && !paused.contains($0.key.run) })
            .min(by: { $0.value.arrival < $1.value.arrival })
        {
            return (held.key, held.value.workspace, false)
        }
        let now = Date()
        guard
            let free = waiting.filter({
                isFree($0.value, at: now) && !$0.value.skippedBy.contains(person) && !paused.contains($0.key.run)
                    && fits($0.key, for: person)
            }).min(by: { $0.value.arrival < $1.value.arrival })
        else { return nil }
        waiting[free.key]?.holder = person
        waiting[free.key]?.handedAt = Date()
        lastHolder[free.key] = person
        changed()
        return (free.key, free.value.workspace, true)
    }

    /// Workspace `key` for `person`: theirs, or free and now theirs (`handedOut`); while its run
    /// is halted for an undo, once the run offers it again.
    ///
    /// - Throws: ``Refusal``.
    func open(_ key: Key, for person: String) async throws -> (workspace: Workspace, handedOut: Bool) {
        if isComingBack(key) { await waitOutHalt(of: key) }
        guard var entry = waiting[key] else { throw Refusal.notWaiting }
        if paused.contains(key.run) { throw Refusal.paused }
        if entry.holder != person {
            guard isFree(entry, at: Date()) else { throw Refusal.heldByAnother }
            guard fits(key, for: person) else { throw Refusal.tooClose }
            entry.holder = person
            entry.handedAt = Date()
            waiting[key] = entry
            lastHolder[key] = person
            changed()
            return (entry.workspace, true)
        }
        return (entry.workspace, false)
    }

    /// Whether nobody holds `entry`, or its holder has let it lie longer than ``holdLimit``.
    private func isFree(_ entry: Waiting, at now: Date) -> Bool {
        guard entry.holder != nil else { return true }
        return entry.handedAt.map { now.timeIntervalSince($0) > holdLimit } ?? true
    }

    /// Frees every workspace `person` holds (they signed out).
    func release(_ person: String) {
        for (key, entry) in waiting where entry.holder == person {
            waiting[key]?.holder = nil
            waiting[key]?.handedAt = nil
        }
        for (key, holder) in lastHolder where holder == person { lastHolder[key] = nil }
        changed()
    }

    /// Resumes the run on `key` with `action`, which the caller has checked with the domain, and
    /// returns once the run's journal has stored the workspace it changed, so that an action
    /// acknowledged to a person survives the server's crash (at once, for a run that keeps no
    /// journal).
    ///
    /// - Throws: ``Refusal``; ``Refusal/notStored`` when the run, or the queued question, ended
    ///   before the action was stored.
    func act(_ action: SupervisorAction, on key: Key, by person: String) async throws {
        if isComingBack(key) { await waitOutHalt(of: key) }
        guard let entry = waiting[key], let continuation = entry.continuation else { throw Refusal.notWaiting }
        if paused.contains(key.run) { throw Refusal.paused }
        if halted.contains(key.run) { throw Refusal.halted }
        guard entry.holder == person else { throw Refusal.heldByAnother }
        waiting[key] = nil
        noteWorked(key.node, of: key.run, by: person)
        changed()
        guard entry.journaled else { return continuation.resume(returning: (action, person)) }
        let stored = await withCheckedContinuation { recorded in
            unrecorded[key, default: []].append(recorded)
            continuation.resume(returning: (action, person))
        }
        if !stored { throw Refusal.notStored }
    }

    /// The seconds since `person` was handed `key`, if they hold it: time spent, for the audit log.
    func secondsHeld(_ key: Key, by person: String) -> Double? {
        guard let entry = waiting[key], entry.holder == person, let handedAt = entry.handedAt else { return nil }
        return Date().timeIntervalSince(handedAt)
    }

    /// Leaves answered workspace `key`, whose answer is stale, for a person to answer again.
    func offerReview(_ key: Key, workspace: Workspace) {
        guard waiting[key] == nil, !stopped.contains(key.run) else { return }
        arrivals += 1
        waiting[key] = Waiting(workspace: workspace, continuation: nil, arrival: arrivals, holder: nil)
        changed()
    }

    /// Whether `key` waits to be answered again (rather than for the engine).
    func isReview(_ key: Key) -> Bool {
        waiting[key].map { $0.continuation == nil } ?? false
    }

    /// Takes review `key` off the desk once `person`'s answer is stored.
    ///
    /// - Throws: ``Refusal``.
    func completeReview(_ key: Key, by person: String) throws {
        guard let entry = waiting[key], entry.continuation == nil else { throw Refusal.notWaiting }
        if paused.contains(key.run) { throw Refusal.paused }
        guard entry.holder == person else { throw Refusal.heldByAnother }
        waiting[key] = nil
        noteWorked(key.node, of: key.run, by: person)
        changed()
    }

    /// The journal of `run` stored `nodes`: the actions waiting on them are acknowledged.
    func recorded(_ nodes: [WorkspaceID], of run: String) {
        for node in nodes {
            for recorded in unrecorded.removeValue(forKey: Key(run: run, node: node)) ?? [] { recorded.resume(returning: true) }
        }
    }

    /// `run` ended (answered, failed or stopped), or its main question `root` did: nothing more
    /// of it will be recorded, and the actions not recorded yet are refused.
    func ended(_ run: String, root: WorkspaceID? = nil) {
        for key in unrecorded.keys where key.run == run && root.map({ key.node.isWithin($0) }) ?? true {
            for recorded in unrecorded.removeValue(forKey: key) ?? [] { recorded.resume(returning: false) }
        }
        changed()
    }

    /// Gives `key` back for someone else; `person` is not offered it again.
    func skip(_ key: Key, by person: String) throws {
        guard var entry = waiting[key] else { throw Refusal.notWaiting }
        guard entry.holder == person else { throw Refusal.heldByAnother }
        entry.holder = nil
        entry.skippedBy.insert(person)
        waiting[key] = entry
        lastHolder[key] = nil
        changed()
    }

    func pause(_ run: String) {
        paused.insert(run)
        changed()
    }

    func resume(_ run: String) {
        paused.remove(run)
        changed()
    }

    func isPaused(_ run: String) -> Bool {
        paused.contains(run)
    }

    /// Ends every call of `run` still waiting (with `CancellationError`), and any it makes later.
    func stop(_ run: String) {
        stopped.insert(run)
        paused.remove(run)
        for (key, entry) in waiting where key.run == run {
            waiting[key] = nil
            entry.continuation?.resume(throwing: CancellationError())
        }
        ended(run)
    }

    /// Waits while `key`'s run is halted (someone's undo), then until the resumed run offers `key`
    /// again: an action sent meanwhile is taken then rather than refused. Gives up after 30 s, or
    /// 5 s after the run went on without offering the workspace (it was the one undone, or is no
    /// longer waiting).
    private func waitOutHalt(of key: Key) async {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, isComingBack(key) {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Whether `key` is not waiting now but may be in a moment: its run is halted for an undo,
    /// or was reopened less than 5 s ago and has not offered it again yet.
    private func isComingBack(_ key: Key) -> Bool {
        if halted.contains(key.run) { return true }
        guard waiting[key] == nil, !stopped.contains(key.run), let since = reopened[key.run] else { return false }
        return Date().timeIntervalSince(since) < 5
    }

    /// Takes no more actions on `run`, and returns once the journal has stored every action
    /// already handed to the engine: the run can then be stopped without losing an action someone
    /// was told was taken.
    func halt(_ run: String) async {
        halted.insert(run)
        while unrecorded.keys.contains(where: { $0.run == run }) {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Lets halted and stopped `run` wait on the desk again (to be resumed from its journal):
    /// each workspace comes back to whoever last held it.
    func reopen(_ run: String) {
        halted.remove(run)
        stopped.remove(run)
        reopened[run] = Date()
        changed()
    }

    /// The workspaces of `run` waiting now, with who holds each.
    func waitingWorkspaces(of run: String) -> [(node: WorkspaceID, holder: String?)] {
        waiting.filter { $0.key.run == run }.map { ($0.key.node, $0.value.holder) }.sorted { $0.node < $1.node }
    }

    /// The version after `seen` once there is one, or `seen` after `timeout` or when the task is
    /// cancelled.
    func change(after seen: Int, timeout: Duration) async -> Int {
        if version != seen { return version }
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled { return continuation.resume() }
                watchers[id] = continuation
                Task {
                    try? await Task.sleep(for: timeout)
                    await self.wake(id)
                }
            }
        } onCancel: {
            Task { await self.wake(id) }
        }
        return version
    }

    /// Tells the live pages to look again: work may be waiting elsewhere (a queued question).
    func nudge() {
        changed()
    }

    private func wake(_ id: UUID) {
        watchers.removeValue(forKey: id)?.resume()
    }

    private func changed() {
        version += 1
        let all = watchers
        watchers.removeAll()
        for continuation in all.values { continuation.resume() }
    }
}

/// A run's journal that tells the desk what it stored, so that people's actions are acknowledged
/// only once they are in the store.
struct DeskJournal: WorkspaceJournal {
    let inner: any WorkspaceJournal
    let desk: PersonDesk
    let run: String

    func record(_ workspaces: [WorkspaceSnapshot], progress: AmplificationProgress) async throws {
        try await inner.record(workspaces, progress: progress)
        await desk.recorded(workspaces.map(\.id), of: run)
    }
}

/// People in the web app as a run's supervisor: each workspace is left on the desk until someone
/// acts on it, and an answer is recorded as that person's (`person:NAME`); ``agent`` stands for
/// them all. Every action, with who took it, is in the run's audit log.
struct PersonSupervisor: ConcurrentSupervisor {
    let desk: PersonDesk
    let run: RunName
    /// Added to the main questions' ordinals on the desk: H′'s demonstrations come in batches,
    /// each numbering its workspaces from 1, and each is placed after the earlier ones; a queued
    /// question, grown alone as question 1, is placed where it is in its run.
    var ordinalOffset = 0
    /// Whether the run journals its workspaces (a tree does; H′'s demonstrations do not).
    var journaled = true

    /// The run's id, set once the run is created (before the engine's first call).
    final class RunName: Sendable {
        private let storage = Mutex<String?>(nil)
        func set(_ id: String) { storage.withLock { $0 = id } }
        var id: String? { storage.withLock { $0 } }
    }

    /// Who the supervisor is when no one person is meant (an unanswered workspace's supervisor).
    static let team = Agent.person("team")

    var agent: Agent { Self.team }
    /// As many as are waiting: a person works one at a time, a team many.
    var maximumConcurrentActions: Int { 10_000 }

    func act(on workspace: Workspace) async throws -> SupervisorAction {
        try await attributedAction(on: workspace).action
    }

    func attributedAction(on workspace: Workspace) async throws -> (action: SupervisorAction, agent: Agent?) {
        guard let run = run.id, let node = SupervisorCall.workspaceID else {
            preconditionFailure("PersonSupervisor: called outside a hosted run's concurrent call")
        }
        let placed = ordinalOffset == 0 ? node : node.underRoot(node.path[0] + ordinalOffset)
        let (action, person) = try await desk.wait(
            for: PersonDesk.Key(run: run, node: placed), workspace: workspace, journaled: journaled)
        return (action, .person(person))
    }
}
