import Amplification
import Asker
import Distillation
import Foundation
import Store
import Tasks
import TensorCore

/// `ida run`'s work: for each task, IA and the supervised baseline trained side by side, stored
/// as they go, then the report. The command line starts and resumes it and shows its progress
/// (``TrainingProgress``); a server can do the same.
///
/// Side by side means two concurrent trainings sharing the cores: each side runs in its own
/// child task with OpenBLAS at one thread (its steps split into shards by `AnswererTrainer`), and every side is deterministic on its own (its own seeded
/// streams), so running them together changes their wall time, never their numbers. Tasks of
/// `--task all` run one after the other.
///
/// Stored layout: one `group` run holding the ``JobConfiguration`` (and at the end the report),
/// and under it one `ia` and one `supervised` run per task, each with its metrics, evaluations,
/// checkpoints and, once complete, its `DistillationReport` as JSON.
public struct TrainingJob {
    let store: any RunStore
    let configuration: JobConfiguration
    let board: any TrainingProgress
    /// Called with the group run's id when it starts running (the command line marks the runs
    /// `interrupted` on Ctrl-C).
    var started: (@Sendable (String) -> Void)?
    /// Who gives H′'s demonstrations in a job whose supervisor is `people` (the web app's desk).
    var demonstrator: AskerLoop.Demonstrator?

    /// One side's outcome.
    public struct SideResult: Sendable {
        var report: DistillationReport
        var wallSeconds: Double
    }

    /// How a side starts: from scratch, from a stored state, or already done.
    public enum SideStart: Sendable {
        case fresh
        case resume(TrainingState, wallSeconds: Double)
        case done(SideResult)
    }

    /// Creates the group run and runs every task.
    public static func start(
        store: any RunStore, configuration: JobConfiguration, board: any TrainingProgress, started: (@Sendable (String) -> Void)? = nil,
        demonstrator: AskerLoop.Demonstrator? = nil
    ) async throws
        -> (group: RunRecord, reports: [RunReport], wallSeconds: Double)
    {
        try checkSupervision(configuration, demonstrator, store: store)
        // Validate everything before the first row is written.
        for name in configuration.tasks { _ = try TaskCatalog.task(named: name, preset: configuration.preset) }
        for name in configuration.tasks {
            for targets in TargetSource.allCases {
                let distillation = try configuration.distillation(task: name, targets: targets)
                if let problem = distillation.problem { throw DistillationError.invalidConfiguration(problem) }
            }
        }
        let group = try store.createRun(
            NewRun(
                kind: .group, task: configuration.taskArgument, preset: configuration.preset,
                schedule: configuration.schedule.rawValue, configuration: try configuration.json(),
                seed: configuration.seed, createdAt: Date()))
        let job = TrainingJob(
            store: store, configuration: configuration, board: board, started: started, demonstrator: demonstrator)
        return try await job.run(group: group)
    }

    /// A job whose H′ learns from people needs someone to hand their workspaces to; one whose
    /// targets grow on workers needs a queue they share, and the scripted expert (H′ lives in the
    /// trainer).
    private static func checkSupervision(
        _ configuration: JobConfiguration, _ demonstrator: AskerLoop.Demonstrator?, store: any RunStore
    ) throws {
        if configuration.supervisor == .people && demonstrator == nil {
            throw ApplicationError.invalidJob("H′ learning from people needs the web app to hand out its demonstrations (ida serve)")
        }
        if configuration.targets == .workers {
            guard store is any WorkQueue else {
                throw ApplicationError.invalidJob(
                    "targets grown by workers need a database the workers share: pass --db postgres://…")
            }
            guard configuration.supervisor == .scripted else {
                throw ApplicationError.invalidJob(
                    "targets grown by workers need the scripted expert as H (H′ trains in the trainer's process)")
            }
        }
    }

    /// Continues the group run `id` (or the group of the run `id`): finished sides keep their
    /// results, the others continue from their newest checkpoint.
    public static func resume(
        store: any RunStore, id: String, board: any TrainingProgress, started: (@Sendable (String) -> Void)? = nil,
        demonstrator: AskerLoop.Demonstrator? = nil
    ) async throws
        -> (group: RunRecord, reports: [RunReport], wallSeconds: Double)
    {
        var group = try store.run(id: id)
        guard group.kind != .hch else { throw ApplicationError.tree(run: id) }
        if group.kind != .group, let parent = group.parentID { group = try store.run(id: parent) }
        guard group.kind == .group else {
            throw ApplicationError.unreadableRun(run: id, problem: "it is not a run started by `ida run`")
        }
        guard group.status != .completed else { throw ApplicationError.alreadyComplete(run: group.id) }
        let configuration = try JobConfiguration.decode(group.configuration, run: group.id)
        try checkSupervision(configuration, demonstrator, store: store)
        let job = TrainingJob(
            store: store, configuration: configuration, board: board, started: started, demonstrator: demonstrator)
        // Check every stored state before anything runs or is written.
        for name in configuration.tasks {
            let task = try TaskCatalog.task(named: name, preset: configuration.preset)
            for kind in [RunKind.ia, .supervised] {
                if let child = try job.child(of: group, task: name, kind: kind) { _ = try job.sideStart(child, task: task) }
            }
        }
        await board.note("resuming run \(group.id)")
        return try await job.run(group: group)
    }

    /// The group run of `id` (or of the run `id` belongs to) and its stored reports.
    ///
    /// - Throws: `StoreError.runNotFound`; ``ApplicationError/noReport(run:status:)`` when the
    ///   job has not finished, ``ApplicationError/tree(run:)`` for an amplification tree.
    public static func report(of id: String, in store: any RunStore) throws -> (
        group: RunRecord, reports: [RunReport], wallSeconds: Double
    ) {
        var group = try store.run(id: id)
        guard group.kind != .hch else { throw ApplicationError.tree(run: id) }
        if let parent = group.parentID { group = try store.run(id: parent) }
        guard let json = group.report else {
            throw ApplicationError.noReport(run: group.id, status: group.status.rawValue)
        }
        let data = Data(json.utf8)
        if let single = try? JSONDecoder().decode(RunReport.self, from: data) {
            return (group, [single], single.wallSeconds)
        }
        if let multiple = try? JSONDecoder().decode(MultiTaskReport.self, from: data) {
            return (group, multiple.reports, multiple.wallSeconds)
        }
        throw ApplicationError.unreadableRun(run: group.id, problem: "its report is not an `ida run` report")
    }

    /// Runs every task of the group, then stores the report on the group run; on a store shared
    /// by several machines, only while no other process trains the group.
    ///
    /// - Throws: ``ApplicationError/trainedElsewhere(run:)``, before anything is written, when
    ///   another process holds the group's ``TrainerLeadership``.
    public func run(group: RunRecord) async throws -> (group: RunRecord, reports: [RunReport], wallSeconds: Double) {
        let leadership = try store.leadTraining(of: group.id)
        defer { leadership?.release() }
        let clock = ContinuousClock()
        let start = clock.now
        BLAS.threadCount = 1
        started?(group.id)
        if group.status != .running { try store.updateRun(group.id, status: .running, updatedAt: Date()) }
        var reports: [RunReport] = []
        do {
            for name in configuration.tasks {
                reports.append(try await runTask(name, group: group))
            }
        } catch {
            _ = try? store.updateRun(group.id, status: .failed, updatedAt: Date())
            throw error
        }
        await board.end()
        let wall = group.wallSeconds + (clock.now - start).seconds
        let report: String
        if reports.count == 1 {
            report = try storedJSON(reports[0])
        } else {
            report = try storedJSON(
                MultiTaskReport(
                    preset: configuration.preset, schedule: configuration.schedule.rawValue, seed: configuration.seed,
                    run: group.id, reports: reports, wallSeconds: wall))
        }
        let stored = try store.updateRun(group.id, status: .completed, updatedAt: Date(), wallSeconds: wall, report: report)
        return (stored, reports, wall)
    }

    /// Trains IA and supervised on one task side by side; returns the task's report.
    func runTask(_ name: String, group: RunRecord) async throws -> RunReport {
        let clock = ContinuousClock()
        let begin = clock.now
        let task = try TaskCatalog.task(named: name, preset: configuration.preset)
        let iaRun = try child(of: group, task: name, kind: .ia) ?? createChild(group: group, task: name, kind: .ia)
        let supervisedRun =
            try child(of: group, task: name, kind: .supervised) ?? createChild(group: group, task: name, kind: .supervised)
        let iaStart = try sideStart(iaRun, task: task)
        let supervisedStart = try sideStart(supervisedRun, task: task)
        let iaConfiguration = try configuration.distillation(task: name, targets: .amplification)
        let supervisedConfiguration = try configuration.distillation(task: name, targets: .groundTruth)

        await board.begin(
            task: name,
            sides: [
                progressSide("IA", iaStart, configuration: iaConfiguration),
                progressSide("supervised", supervisedStart, configuration: supervisedConfiguration),
            ])
        let (store, schedule, seed, board, demonstrator) = (store, configuration.schedule, configuration.seed, board, demonstrator)
        let (supervisor, targetPlace) = (configuration.supervisor.stored, configuration.targets)
        if targetPlace == .workers {
            await board.note("IA's targets grow on workers: run `ida worker --run \(iaRun.id) --db …` on machines that reach this database")
        }
        async let ia = Self.train(
            side: "IA", task: task, configuration: iaConfiguration, targets: .amplification, schedule: schedule,
            seed: seed, start: iaStart, store: store, runID: iaRun.id, board: board, supervisor: supervisor,
            demonstrator: demonstrator, targetPlace: targetPlace)
        async let supervised = Self.train(
            side: "supervised", task: task, configuration: supervisedConfiguration, targets: .groundTruth,
            schedule: schedule, seed: seed, start: supervisedStart, store: store, runID: supervisedRun.id, board: board)
        let (iaResult, supervisedResult) = try await (ia, supervised)
        let wall = max((clock.now - begin).seconds, iaResult.wallSeconds, supervisedResult.wallSeconds)
        return RunReport(
            ia: iaResult, supervised: supervisedResult, task: name, preset: configuration.preset,
            schedule: configuration.schedule.rawValue, supervisor: configuration.supervisor.rawValue, seed: configuration.seed,
            run: group.id, wallSeconds: wall)
    }

    /// Trains one side to its end (or returns its stored result), recording into the store.
    static func train(
        side: String, task: any AmplificationTask, configuration: DistillationConfiguration, targets: TargetSource,
        schedule: TrainingSchedule, seed: UInt64, start: SideStart, store: any RunStore, runID: String, board: any TrainingProgress,
        supervisor: RunCounters.Supervisor? = nil, demonstrator: AskerLoop.Demonstrator? = nil,
        targetPlace: TargetPlace = .trainer
    ) async throws -> SideResult {
        let distiller: Distiller
        let priorWall: Double
        switch start {
        case .done(let result):
            await board.finish(side)
            return result
        case .fresh:
            distiller = try Distiller(
                task: task, configuration: configuration, targets: targets, schedule: schedule, seed: seed,
                demonstrator: demonstrator)
            priorWall = 0
        case .resume(let state, let wallSeconds):
            distiller = try Distiller(task: task, resuming: state, demonstrator: demonstrator)
            priorWall = wallSeconds
            try store.updateRun(runID, status: .running, updatedAt: Date())
        }
        if targetPlace == .workers {
            guard let queue = store as? any RunStore & WorkQueue else {
                throw ApplicationError.invalidJob("targets grown by workers need a database the workers share")
            }
            distiller.targetAmplifier = SharedTargets(store: queue, run: runID) { item, seconds in
                await board.note(
                    "IA's generation \(item + 1) has waited \(Int(seconds)) s for a worker: is `ida worker --db …` running on a machine that reaches this database?")
            }
        }
        let recorder = StoreRecorder(
            store: store, runID: runID, model: targets == .amplification ? .x : .supervised,
            priorWallSeconds: priorWall, supervisor: supervisor
        ) { event in await board.update(side, event) }
        do {
            let report = try await distiller.run(recorder: recorder)
            // The final model is always stored, whatever the checkpoint interval: `ida eval` uses it.
            if try store.latestCheckpoint(run: runID)?.step != distiller.counters.steps {
                try await recorder.record(.checkpoint(distiller.state()))
            }
            try recorder.finish(report)
            await board.finish(side)
            return SideResult(report: report, wallSeconds: recorder.wallSeconds)
        } catch {
            try? recorder.flush()
            _ = try? store.updateRun(runID, status: .failed, updatedAt: Date(), wallSeconds: recorder.wallSeconds)
            throw error
        }
    }

    func child(of group: RunRecord, task: String, kind: RunKind) throws -> RunRecord? {
        try store.children(of: group.id).first { $0.task == task && $0.kind == kind }
    }

    func createChild(group: RunRecord, task: String, kind: RunKind) throws -> RunRecord {
        let distillation = try configuration.distillation(task: task, targets: kind == .ia ? .amplification : .groundTruth)
        return try store.createRun(
            NewRun(
                kind: kind, task: task, preset: configuration.preset, schedule: configuration.schedule.rawValue,
                configuration: try storedJSON(distillation),
                seed: configuration.seed, createdAt: Date(), parentID: group.id))
    }

    /// Where a stored side stands: its report when complete, its newest checkpoint otherwise.
    ///
    /// - Throws: `ApplicationError` or `DistillationError` when the stored state does not fit.
    func sideStart(_ run: RunRecord, task: any AmplificationTask) throws -> SideStart {
        if run.status == .completed, let json = run.report {
            guard let report = try? JSONDecoder().decode(DistillationReport.self, from: Data(json.utf8)) else {
                throw ApplicationError.unreadableRun(run: run.id, problem: "its report is not a training report")
            }
            return .done(SideResult(report: report, wallSeconds: run.wallSeconds))
        }
        guard let checkpoint = try store.latestCheckpoint(run: run.id) else { return .fresh }
        guard checkpoint.formatVersion == TrainingState.currentFormatVersion else {
            throw ApplicationError.incompatibleCheckpoint(
                "run \(run.id) step \(checkpoint.step) has format \(checkpoint.formatVersion), "
                    + "this ida reads \(TrainingState.currentFormatVersion)")
        }
        let state = try TrainingState(bytes: checkpoint.payload)
        guard state.taskName == task.name, state.taskSize == task.size, state.dimensions == Distiller.dimensions(of: task)
        else {
            throw ApplicationError.incompatibleCheckpoint(
                "run \(run.id) was saved for task \(state.taskName) size \(state.taskSize), not \(task.name) size \(task.size)")
        }
        let summary = try? JSONDecoder().decode(TrainerStateSummary.self, from: Data(checkpoint.trainerState.utf8))
        return .resume(state, wallSeconds: summary?.wallSeconds ?? run.wallSeconds)
    }

    func progressSide(_ label: String, _ start: SideStart, configuration: DistillationConfiguration) -> SideProgress {
        let total =
            configuration.steps(schedule: self.configuration.schedule)
        switch start {
        case .fresh: return SideProgress(label: label, totalSteps: total)
        case .resume(let state, _):
            var side = SideProgress(label: label, step: state.step, totalSteps: total, startStep: state.step)
            if state.targets == .amplification { side.expertCalls = state.counters.expertCalls }
            return side
        case .done(let result):
            var side = SideProgress(label: label, step: result.report.counters.steps, totalSteps: total)
            if result.report.targets == .amplification { side.expertCalls = result.report.counters.expertCalls }
            side.finished = true
            return side
        }
    }

}

extension DistillationConfiguration {
    /// The steps a run of this configuration takes under `schedule`.
    public func steps(schedule: TrainingSchedule) -> Int {
        switch schedule {
        case .continuous: steps
        case .rounds: rounds.roundCount * rounds.stepsPerRound
        }
    }
}
