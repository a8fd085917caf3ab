import Amplification
import Application
import Foundation
import Store
import Tasks

/// The runs the server works with people: started by a researcher, resumed when the server
/// starts again, paused, resumed and stopped; each is a stored job (free-text questions, a
/// `TextJob`, or HCH on a task's instances, an `AmplificationJob`) of schedule ``schedule``, whose
/// supervisor is the ``PersonDesk``.
actor RunHost {
    /// The schedule that marks a stored run as worked by people in the web app.
    static let schedule = "people"

    let store: any ServerStore
    let desk: PersonDesk
    private var tasks: [String: Task<Void, Never>] = [:]
    /// Each hosted run's domain (what its pages render and read).
    private var domains: [String: any Domain] = [:]
    /// The hosted trainings whose H′ learns from people, by group run.
    private var trainings: [String: HostedTraining] = [:]
    /// The run an undo is taking back, if one is: one undo at a time. Claimed with no suspension
    /// between the wait for it and the claim, as the actor lets other calls in at every `await`.
    private var undoingRun: String?

    /// Whether `run` is one the server works with people: a tree (schedule ``schedule``), or a
    /// training whose H′ learns from people's demonstrations.
    static func isPeoples(_ run: RunRecord) -> Bool {
        switch run.kind {
        case .hch: run.schedule == schedule
        case .group: (try? JobConfiguration.decode(run.configuration, run: run.id))?.supervisor == .people
        default: false
        }
    }

    init(store: any ServerStore, desk: PersonDesk) {
        self.store = store
        self.desk = desk
    }

    /// Starts `job` with people as its supervisor and returns the new run's id once it is stored.
    ///
    /// - Throws: ``ApplicationError/invalidJob(_:)`` for a job that cannot run.
    func start(_ job: StoredTree.Job, by user: String) async throws -> String {
        let name = PersonSupervisor.RunName()
        let supervisor = PersonSupervisor(desk: desk, run: name)
        let (store, desk) = (self.store, self.desk)
        let domain: any Domain
        let detail: String
        let body: @Sendable (@escaping @Sendable (String) -> Void) async throws -> Void
        let journal: @Sendable (StoreJournal) -> any WorkspaceJournal = { DeskJournal(inner: $0, desk: desk, run: $0.run) }
        switch job {
        case .text(let job):
            let text = TextDomain()
            try job.validate(in: text)
            (domain, detail) = (text, "\(job.questions.count) questions, depth \(job.depth)")
            body = { started in
                _ = try await job.start(
                    in: store, domain: text, supervisor: supervisor, assistant: ConstantAssistant.unknown(in: text),
                    schedule: Self.schedule, started: started, journal: journal)
            }
        case .task(let job):
            let setting = try job.setting()
            (domain, detail) = (TaskDomain(setting.task), "\(job.task) (\(job.preset)), \(job.instances) instances, depth \(job.depth), seed \(job.seed)")
            body = { started in
                _ = try await job.start(in: store, supervisor: supervisor, schedule: Self.schedule, started: started, journal: journal)
            }
        }
        let started = AsyncThrowingStream<String, any Error>.makeStream()
        let task = Task {
            do {
                try await body { id in
                    name.set(id)
                    started.continuation.yield(id)
                    started.continuation.finish()
                }
            } catch {
                started.continuation.finish(throwing: error)
            }
            if let run = name.id {
                await desk.ended(run)
                try? await self.offerStale(run)
            }
        }
        guard let run = try await started.stream.first(where: { _ in true }) else {
            throw ApplicationError.invalidJob("the run could not be started")
        }
        tasks[run] = task
        domains[run] = domain
        try store.appendAudit([AuditEntry(at: Date(), user: user, action: .startRun, run: run, detail: detail)])
        return run
    }

    /// Starts IA on one task whose H′ learns from people's demonstrations (the job `ida run
    /// --supervisor learned` runs, its demonstrations handed to people), and returns its group
    /// run's id once it is stored.
    ///
    /// - Throws: ``ApplicationError/invalidJob(_:)`` for a job that cannot run.
    func startTraining(_ configuration: JobConfiguration, by user: String) async throws -> String {
        guard configuration.supervisor == .people, configuration.tasks.count == 1 else {
            throw ApplicationError.invalidJob("a training hosted here has one task, and people give H′'s demonstrations")
        }
        let task = try TaskCatalog.task(named: configuration.tasks[0], preset: configuration.preset)
        let name = PersonSupervisor.RunName()
        let training = HostedTraining(desk: desk, run: name)
        let started = AsyncThrowingStream<String, any Error>.makeStream()
        let (store, desk) = (self.store, self.desk)
        let job = Task {
            do {
                _ = try await TrainingJob.start(
                    store: store, configuration: configuration, board: training,
                    started: { id in
                        name.set(id)
                        started.continuation.yield(id)
                        started.continuation.finish()
                    }, demonstrator: training.demonstrator)
            } catch {
                started.continuation.finish(throwing: error)
                await training.failed(error)
            }
            if let run = name.id { await desk.ended(run) }
        }
        guard let run = try await started.stream.first(where: { _ in true }) else {
            throw ApplicationError.invalidJob("the training could not be started")
        }
        tasks[run] = job
        trainings[run] = training
        domains[run] = TaskDomain(task)
        let steps = configuration.steps.map { ", \($0) steps" } ?? ""
        try store.appendAudit([
            AuditEntry(
                at: Date(), user: user, action: .startRun, run: run,
                detail: "H′ learning from people: \(task.name) (\(configuration.preset)), seed \(configuration.seed)\(steps)")
        ])
        return run
    }

    /// The hosted training of group run `run`, if the server works it.
    func training(_ run: String) -> HostedTraining? {
        trainings[run]
    }

    /// Goes on with every stored people's run that was running when the server stopped, paused
    /// again where a researcher had paused it. Returns the runs resumed.
    func resumeUnfinished() async throws -> [String] {
        var resumed: [String] = []
        for run in try store.runs() where desk.keepsApart && Self.isPeoples(run) && run.status != .interrupted {
            for entry in try store.audit(run: run.id) where [.ask, .lookup, .answer, .correct].contains(entry.action) {
                if let user = entry.user, let node = entry.node.flatMap(WorkspaceID.init) {
                    await desk.noteWorked(node, of: run.id, by: user)
                }
            }
        }
        for run in try store.runs() where run.kind == .hch && run.schedule == Self.schedule && run.status == .running {
            if try Self.lastControl(of: run.id, in: store) == .pause { await desk.pause(run.id) }
            try goOn(with: run)
            resumed.append(run.id)
        }
        for run in try store.runs() where run.kind == .group && run.status == .running && Self.isPeoples(run) {
            if try Self.lastControl(of: run.id, in: store) == .pause { await desk.pause(run.id) }
            try goOnTraining(run)
            resumed.append(run.id)
        }
        for run in try store.runs() where run.kind == .hch && run.schedule == Self.schedule && run.status == .completed {
            try await offerStale(run.id)
        }
        return resumed
    }

    /// Works stored run `run` again from its journal, with people as its supervisor.
    private func goOn(with run: RunRecord) throws {
        let name = PersonSupervisor.RunName()
        name.set(run.id)
        let supervisor = PersonSupervisor(desk: desk, run: name)
        let (store, desk, id) = (self.store, self.desk, run.id)
        let journal: @Sendable (StoreJournal) -> any WorkspaceJournal = { DeskJournal(inner: $0, desk: desk, run: id) }
        domains[id] = try StoredTree.domain(of: run)
        switch try StoredTree.job(of: run) {
        case .text:
            tasks[id] = Task {
                let text = TextDomain()
                _ = try? await TextJob.resume(
                    id, in: store, domain: text, supervisor: supervisor, assistant: ConstantAssistant.unknown(in: text),
                    journal: journal)
                await desk.ended(id)
                try? await self.offerStale(id)
            }
        case .task:
            tasks[id] = Task {
                _ = try? await AmplificationJob.resume(id, in: store, supervisor: supervisor, journal: journal)
                await desk.ended(id)
                try? await self.offerStale(id)
            }
        }
    }

    /// Works stored training `run` again from its checkpoints.
    private func goOnTraining(_ run: RunRecord) throws {
        let configuration = try JobConfiguration.decode(run.configuration, run: run.id)
        let name = PersonSupervisor.RunName()
        name.set(run.id)
        let training = HostedTraining(desk: desk, run: name)
        let (store, desk, id) = (self.store, self.desk, run.id)
        domains[id] = TaskDomain(try TaskCatalog.task(named: configuration.tasks[0], preset: configuration.preset))
        trainings[id] = training
        tasks[id] = Task {
            do {
                _ = try await TrainingJob.resume(store: store, id: id, board: training, demonstrator: training.demonstrator)
            } catch {
                await training.failed(error)
            }
            await desk.ended(id)
        }
    }

    /// Why a person's last action cannot be undone.
    enum UndoRefusal: Error, Equatable, CustomStringConvertible {
        case nothingToUndo
        case demonstration
        case notRunning
        case shared
        case paused
        case actedOnSince
        case dependedOn(RetractionRefusal)

        var description: String {
            switch self {
            case .nothingToUndo: "you have no action to undo (an action can be undone once, and only the last)"
            case .demonstration: "an action in a demonstration for H′ cannot be undone (demonstrations are not stored)"
            case .notRunning: "its run is no longer running"
            case .shared: "its question belongs to a shared run, whose actions are saved with the queue and not taken back"
            case .paused: "its run is paused: nothing can be done until a researcher resumes it"
            case .actedOnSince: "someone has acted on that workspace since"
            case .dependedOn(let refusal): "\(refusal)"
            }
        }
    }

    /// The actions on workspaces an undo can follow.
    private static let actions: Set<AuditAction> = [.ask, .lookup, .answer, .undo]

    /// Takes back `person`'s last action on a workspace while nothing depends on it (no one has
    /// acted on what it made ready): the run is halted, its stored tree taken back to before the
    /// action, and the run goes on from there, the workspace back with them. Returns the undone
    /// action's audit entry. Everyone else's waiting workspaces come back to whoever held them.
    ///
    /// - Throws: ``UndoRefusal``.
    func undoLastAction(of person: String) async throws -> AuditEntry {
        while undoingRun != nil { try? await Task.sleep(for: .milliseconds(10)) }
        guard let last = try store.audit(user: person).last(where: { Self.actions.contains($0.action) && $0.run != nil }),
            last.action != .undo, let run = last.run, let node = last.node.flatMap(WorkspaceID.init)
        else { throw UndoRefusal.nothingToUndo }
        undoingRun = run
        defer { undoingRun = nil }
        let record = try store.run(id: run)
        guard record.kind == .hch else { throw UndoRefusal.demonstration }
        guard record.schedule != SharedAmplification.schedule else { throw UndoRefusal.shared }
        guard tasks[run] != nil, record.status == .running else { throw UndoRefusal.notRunning }
        guard await !desk.isPaused(run) else { throw UndoRefusal.paused }
        let domain = try domain(of: run)
        let matching: (SupervisorAction) -> Bool = { action in
            let kind: AuditAction =
                switch action {
                case .ask(let question): domain.isLeaf(question) ? .lookup : .ask
                case .answer: .answer
                }
            return kind == last.action && domain.render(action.content) == last.detail
        }
        let retraction = { [store] () throws -> Retraction in
            guard try store.audit(run: run).last(where: { Self.actions.contains($0.action) && $0.node == last.node })?.sequence
                == last.sequence
            else { throw UndoRefusal.actedOnSince }
            do {
                return try Retracting.retraction(
                    of: node, run: run, matching: matching, supervisorAgent: PersonSupervisor.team, in: store)
            } catch let refusal as RetractionRefusal {
                throw UndoRefusal.dependedOn(refusal)
            }
        }
        // Checked before the run is halted, so that a refusal disturbs nobody; then again once it
        // is halted, when nothing can move.
        _ = try retraction()
        await desk.halt(run)
        await desk.stop(run)
        if let task = tasks.removeValue(forKey: run) {
            task.cancel()
            await task.value
        }
        await desk.reopen(run)
        _ = try store.updateRun(run, status: .running, updatedAt: Date())
        defer {
            // Goes on unless a researcher stopped the run meanwhile (before the claim is let go).
            if let stored = try? store.run(id: run), stored.status == .running { try? goOn(with: stored) }
        }
        try Retracting.write(try retraction(), run: run, in: store)
        try store.appendAudit([
            AuditEntry(at: Date(), user: person, action: .undo, run: run, node: last.node, detail: "\(last.action.rawValue) \(last.detail)")
        ])
        return last
    }

    /// Offers people the stale answers of `run` to give again, deepest first: a workspace is
    /// offered once no workspace below it is stale, so each is answered again with the answers
    /// below it as they now stand. A stopped run's are not offered.
    func offerStale(_ run: String) async throws {
        guard try store.run(id: run).status != .interrupted else { return }
        let tree = try CorrectedTree.load(run: run, in: store)
        for snapshot in tree.snapshots where tree.stale.contains(snapshot.id) && snapshot.state == .answered {
            if tree.stale.contains(where: { $0 != snapshot.id && $0.isWithin(snapshot.id) }) { continue }
            await desk.offerReview(PersonDesk.Key(run: run, node: snapshot.id), workspace: snapshot.workspace)
        }
    }

    /// The domain of run `run` (stored runs the server does not host included).
    ///
    /// - Throws: ``ApplicationError/unreadableRun(run:problem:)``.
    func domain(of run: String) throws -> any Domain {
        if let domain = domains[run] { return domain }
        let record = try store.run(id: run)
        if record.kind == .group, let configuration = try? JobConfiguration.decode(record.configuration, run: run) {
            let domain = TaskDomain(try TaskCatalog.task(named: configuration.tasks[0], preset: configuration.preset))
            domains[run] = domain
            return domain
        }
        let domain = try StoredTree.domain(of: store.run(id: run))
        domains[run] = domain
        return domain
    }

    /// The last pause or resume recorded for `run`.
    static func lastControl(of run: String, in store: any ServerStore) throws -> AuditAction? {
        try store.audit(run: run).last { $0.action == .pause || $0.action == .resume }?.action
    }

    /// Whether the server works `run` now.
    func hosts(_ run: String) -> Bool {
        tasks[run] != nil
    }

    func pause(_ run: String, by user: String) async throws {
        await desk.pause(run)
        try store.appendAudit([AuditEntry(at: Date(), user: user, action: .pause, run: run)])
    }

    func resume(_ run: String, by user: String) async throws {
        await desk.resume(run)
        try store.appendAudit([AuditEntry(at: Date(), user: user, action: .resume, run: run)])
    }

    /// Stops `run` for good: its waiting calls end, and it is marked interrupted.
    func stop(_ run: String, by user: String) async throws {
        // After an undo under way, which would otherwise set the run going again.
        while undoingRun == run { try? await Task.sleep(for: .milliseconds(10)) }
        await desk.stop(run)
        if let task = tasks.removeValue(forKey: run) {
            task.cancel()
            await task.value
        }
        _ = try store.updateRun(run, status: .interrupted, updatedAt: Date())
        // A training's sides, stopped with it.
        for side in try store.runs() where side.parentID == run && side.status != .completed {
            _ = try store.updateRun(side.id, status: .interrupted, updatedAt: Date())
        }
        try store.appendAudit([AuditEntry(at: Date(), user: user, action: .stop, run: run)])
    }

    /// Ends every hosted run's task when the server shuts down. The runs stay `running` (the
    /// job marks a run failed when its task ends early, but it is the server that stopped, not
    /// the run), so the next start resumes them.
    func shutDown() async {
        for (run, task) in tasks {
            await desk.stop(run)
            task.cancel()
            await task.value
            _ = try? store.updateRun(run, status: .running, updatedAt: Date())
        }
        tasks.removeAll()
    }

    /// Waits until `run`'s task ends (its tree answered, or stopped).
    func waitUntilDone(_ run: String) async {
        await tasks[run]?.value
    }
}
