import Application
import ArgumentParser
import Distillation
import Foundation
import Store
import StorePostgres
import Tasks

/// `ida run`: the main job. IA and the supervised baseline side by side on a task, live progress,
/// then the report table and the learning curves.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train IA and the supervised baseline side by side, then report and plot them.",
        discussion: """
            With no arguments: the small preset of the permutation task. IA distills Amp(H, X) \
            (the scripted expert consulting the model, with leaf lookups) into the model; the \
            baseline trains the same model on ground truth. Both run at once, sharing the cores, and \
            are stored in the database as they go (checkpoints included), so an interrupted run \
            continues with --resume. Progress goes to standard error, the report to standard output.

            --supervisor learned replaces the scripted expert inside IA by H′, a transcript model \
            trained on the expert's demonstrations (the model preset of the same name as --preset): \
            the expert is called for demonstrations, fewer as H′ learns, and (small preset) for the \
            actions H′ is unsure of, once per distinct workspace while H′'s weights stand still. \
            The report counts \
            IA's expert calls (with the scripted expert, every supervisor action) beside the \
            ground-truth labels the baseline consumed, and H′'s held-out action accuracy.

            --method rlhf trains, instead, a policy of X's architecture by RL against a reward \
            model fitted to the preferences of E_b, the scripted expert judging two answers \
            holistically with at most --lookups b hidden-fact lookups; --method rl-oracle uses the \
            truth's preferences. --budget-from RUN caps the evaluator's cost at the expert calls of \
            that IA run (same task), for a comparison at equal cost; `ida compare` tabulates \
            and plots such runs beside IA's (Documentation/RLHF.md).

            --shared-targets (with --db postgres://…) grows IA's targets on `ida worker`s on any \
            machines that reach the database: each generation is one work item, the trainer \
            waits for it, and the run reaches the numbers of one grown in this process \
            (Documentation/SharedRuns.md). One process trains a run at a time: against \
            PostgreSQL a second `ida run --resume` of a run being trained is refused.
            """
    )

    @Option(help: ArgumentHelp("The task, or all for the five tasks one after the other.", valueName: "name"))
    var task = "permutation"

    @Option(help: ArgumentHelp("The preset: tiny, small or paper.", valueName: "name"))
    var preset = "small"

    @Option(help: ArgumentHelp("continuous (the paper's) or rounds (amplify, distill, swap, repeat).", valueName: "name"))
    var schedule = "continuous"

    @Option(help: ArgumentHelp("Who decomposes IA's questions: scripted (the expert) or learned (H′).", valueName: "name"))
    var supervisor = "scripted"

    @Option(help: ArgumentHelp(
        "ia (IA beside supervised), rlhf (RL from E_b's preferences) or rl-oracle (RL from true preferences).",
        valueName: "name"))
    var method = "ia"

    @Option(help: ArgumentHelp("b: E_b's hidden-fact lookups per judgement (--method rlhf).", valueName: "b"))
    var lookups: Int?

    @Option(help: ArgumentHelp("Cap RL's evaluator cost at this many expert calls (one task).", valueName: "calls"))
    var budget: Int?

    @Option(help: ArgumentHelp(
        "Cap RL's evaluator cost, task by task, at the expert calls of this finished IA run.", valueName: "run"))
    var budgetFrom: String?

    @Option(help: "The seed of every random choice (chosen and printed when omitted).")
    var seed: UInt64?

    @Option(help: ArgumentHelp(
        "Run once per seed (comma-separated, e.g. 1,2,3), then report each task's mean and spread over them.",
        valueName: "seeds"))
    var seeds: String?

    @Option(help: "Adam steps (continuous) or steps per round (rounds), instead of the preset's.")
    var steps: Int?

    @Option(help: ArgumentHelp("Steps between checkpoints, instead of the preset's.", valueName: "steps"))
    var checkpointInterval: Int?

    @Option(help: ArgumentHelp("Steps between held-out evaluations, instead of the preset's (0: only at the end).", valueName: "steps"))
    var evalInterval: Int?

    @Option(help: ArgumentHelp("Continue the interrupted run with this id from its newest checkpoints.", valueName: "run"))
    var resume: String?

    @Flag(help: "Grow IA's targets on `ida worker`s sharing the --db postgres://… database, not in this process.")
    var sharedTargets = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(help: ArgumentHelp("The directory for the learning-curve SVG files.", valueName: "dir"))
    var output = "."

    @OptionGroup var store: StoreOptions

    /// The seeds of `--seeds`, in order.
    func seedList() throws -> [UInt64]? {
        guard let seeds else { return nil }
        let list = seeds.split(separator: ",", omittingEmptySubsequences: false).map {
            UInt64($0.trimmingCharacters(in: .whitespaces))
        }
        guard !list.isEmpty, list.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--seeds takes seeds separated by commas, e.g. 1,2,3; got \"\(seeds)\"")
        }
        let values = list.map { $0! }
        guard Set(values).count == values.count else { throw ValidationError("--seeds names a seed twice: \(seeds)") }
        return values
    }

    func validate() throws {
        if seeds != nil {
            guard seed == nil, resume == nil else {
                throw ValidationError("--seeds runs several seeds; give it without --seed or --resume")
            }
            _ = try seedList()
        }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1, got \(steps)") }
        let method = try trainingMethod()
        if sharedTargets {
            guard method == .amplification, supervisor == "scripted" else {
                throw ValidationError("--shared-targets needs --method ia and --supervisor scripted (workers grow targets with the expert)")
            }
            guard resume == nil else { throw ValidationError("--resume keeps the run's own setting; drop --shared-targets") }
            guard StoreLocator.isPostgres(store.path()) else {
                throw ValidationError("--shared-targets needs a database the workers share: pass --db postgres://…")
            }
        }
        if method == .amplification {
            guard lookups == nil, budget == nil, budgetFrom == nil else {
                throw ValidationError("--lookups, --budget and --budget-from are for --method rlhf or rl-oracle")
            }
        } else {
            guard budget == nil || budgetFrom == nil else { throw ValidationError("give --budget or --budget-from, not both") }
            if let budget, budget < 1 { throw ValidationError("--budget must be at least 1, got \(budget)") }
            if budget != nil, task == "all" { throw ValidationError("--budget caps one task; for --task all use --budget-from") }
            if budgetFrom != nil, seeds != nil {
                throw ValidationError("--budget-from sets one seed's budget from that seed's IA run; give --seed, not --seeds")
            }
            guard task == "all" || TaskCatalog.boundedTaskNames.contains(task) || !TaskCatalog.taskNames.contains(task) else {
                throw ValidationError(
                    "E_b has no bounded check for \(task); RL from preferences runs on \(TaskCatalog.boundedTaskNames.joined(separator: ", "))")
            }
        }
        if let checkpointInterval, checkpointInterval < 0 {
            throw ValidationError("--checkpoint-interval must be 0 or more, got \(checkpointInterval)")
        }
        if let evalInterval, evalInterval < 0 { throw ValidationError("--eval-interval must be 0 or more, got \(evalInterval)") }
        switch SupervisorChoice(rawValue: supervisor) {
        case .scripted, .learned: break
        case .people: throw ValidationError("H′ learns from people in the web app: start it from `ida serve`'s page")
        case nil: throw ValidationError("unknown supervisor \"\(supervisor)\"; use scripted or learned")
        }
        guard TrainingSchedule(rawValue: schedule) != nil else {
            throw ValidationError("unknown schedule \"\(schedule)\"; use continuous or rounds")
        }
        guard task == "all" || TaskCatalog.taskNames.contains(task) else {
            throw ValidationError(
                "unknown task \"\(task)\"; available tasks: \(TaskCatalog.taskNames.joined(separator: ", ")), or all")
        }
        guard TaskCatalog.presetNames.contains(preset) else {
            throw ValidationError(
                "unknown preset \"\(preset)\"; available presets: \(TaskCatalog.presetNames.joined(separator: ", "))")
        }
    }

    func run() async throws {
        let board = ProgressBoard(isTerminal: ProgressBoard.standardErrorIsTerminal)
        let interruption = Interruption()
        let runStore = try store.open()
        let started: @Sendable (String) -> Void = { interruption.watch(store: runStore, group: $0) }
        if try trainingMethod() != .amplification || resume != nil && PreferenceJob.isPreferenceRun(resume!, in: runStore) {
            try await runPreferences(store: runStore, board: board, started: started)
            return
        }
        if let seeds = try seedList() {
            try await runSeeds(seeds, store: runStore, board: board, started: started)
            return
        }
        let outcome: (group: RunRecord, reports: [RunReport], wallSeconds: Double)
        if let resume {
            outcome = try await TrainingJob.resume(store: runStore, id: resume, board: board, started: started)
        } else {
            let seed = self.seed ?? UInt64.random(in: 1...999_999)
            if self.seed == nil { await board.note("seed \(seed) (pass --seed \(seed) to repeat this run)") }
            outcome = try await TrainingJob.start(
                store: runStore, configuration: configuration(seed: seed), board: board, started: started)
        }
        let plots = try outcome.reports.map { report in
            try LearningCurvePlot.write(task: report.task, group: outcome.group, store: runStore, directory: output)
        }
        try Self.present(outcome.reports, group: outcome.group, wallSeconds: outcome.wallSeconds, plots: plots, json: json)
    }

    func configuration(seed: UInt64, method: TrainingMethod = .amplification, budgets: [String: Int] = [:]) -> JobConfiguration {
        let all = method == .amplification ? TaskCatalog.taskNames : TaskCatalog.boundedTaskNames
        return JobConfiguration(
            tasks: task == "all" ? all : [task], preset: preset,
            schedule: TrainingSchedule(rawValue: schedule) ?? .continuous, seed: seed, steps: steps,
            checkpointInterval: checkpointInterval, evaluationInterval: evalInterval,
            supervisor: SupervisorChoice(rawValue: supervisor) ?? .scripted, method: method, budgets: budgets,
            targets: sharedTargets ? .workers : .trainer)
    }

    /// `--method` and `--lookups` as one choice.
    func trainingMethod() throws -> TrainingMethod {
        switch method {
        case "ia": return .amplification
        case "rl-oracle":
            guard lookups == nil else { throw ValidationError("--lookups is E_b's; rl-oracle's preferences are the truth's") }
            return .rlOracle
        case "rlhf":
            guard let lookups else { throw ValidationError("--method rlhf needs --lookups b (E_b's lookups per judgement, e.g. 2)") }
            guard lookups >= 1 else { throw ValidationError("--lookups must be at least 1, got \(lookups)") }
            return .rlhf(lookups: lookups)
        default: throw ValidationError("unknown method \"\(method)\"; use ia, rlhf or rl-oracle")
        }
    }

    /// RL from preferences: one run (or one per seed of `--seeds`), or a resumed one.
    func runPreferences(store: any RunStore, board: ProgressBoard, started: @escaping @Sendable (String) -> Void) async throws {
        var outcomes: [(group: RunRecord, reports: [PreferenceRunReport], wallSeconds: Double)] = []
        if let resume {
            outcomes.append(try await PreferenceJob.resume(store: store, id: resume, board: board, started: started))
        } else {
            let method = try trainingMethod()
            let seeds: [UInt64]
            if let list = try seedList() {
                seeds = list
            } else {
                let seed = self.seed ?? UInt64.random(in: 1...999_999)
                if self.seed == nil { await board.note("seed \(seed) (pass --seed \(seed) to repeat this run)") }
                seeds = [seed]
            }
            let tasks = configuration(seed: 0, method: method).tasks
            let budgets =
                try budget.map { [tasks[0]: $0] } ?? budgetFrom.map { try PreferenceJob.budgets(from: $0, tasks: tasks, store: store) } ?? [:]
            for seed in seeds {
                if seeds.count > 1 { await board.note("seed \(seed) (\(outcomes.count + 1) of \(seeds.count))") }
                outcomes.append(
                    try await PreferenceJob.start(
                        store: store, configuration: configuration(seed: seed, method: method, budgets: budgets), board: board,
                        started: started))
            }
        }
        // One JSON document for the whole invocation, however many seeds it ran.
        try Self.present(outcomes.flatMap(\.reports), json: json)
    }

    /// Prints an RL run's reports (table or JSON): shared with `ida report`.
    static func present(_ reports: [PreferenceRunReport], json: Bool) throws {
        if json {
            // Snake case, as every other report of `--json`.
            print(reports.count == 1 ? try prettyJSON(reports[0], snakeCase: true) : try prettyJSON(reports, snakeCase: true))
        } else {
            for report in reports { print(PreferenceReportTable.render(report), terminator: "") }
        }
    }

    /// One run per seed, each reported as it ends, then the spread over them, stored as a run of
    /// its own (`ida report` shows it again). A seed's run interrupted goes on with `--resume`
    /// as any; the spread is stored once every seed's run has finished.
    func runSeeds(
        _ seeds: [UInt64], store: any RunStore, board: ProgressBoard, started: @escaping @Sendable (String) -> Void
    ) async throws {
        var reports: [[RunReport]] = []
        var runs: [String] = []
        for seed in seeds {
            await board.note("seed \(seed) (\(runs.count + 1) of \(seeds.count))")
            let outcome = try await TrainingJob.start(
                store: store, configuration: configuration(seed: seed), board: board, started: started)
            let plots = try outcome.reports.map { report in
                try LearningCurvePlot.write(task: report.task, group: outcome.group, store: store, directory: output)
            }
            if !json { try Self.present(outcome.reports, group: outcome.group, wallSeconds: outcome.wallSeconds, plots: plots, json: false) }
            reports.append(outcome.reports)
            runs.append(outcome.group.id)
        }
        let spread = SeedSpreadReport(preset: preset, schedule: schedule, seeds: seeds, runs: runs, reports: reports)
        let run = try spread.store(in: store, task: task)
        try Self.present(spread, run: run, json: json)
    }

    /// Prints a spread over seeds (table or JSON): shared with `ida report`.
    static func present(_ spread: SeedSpreadReport, run: String, json: Bool) throws {
        if json {
            print(try prettyJSON(spread))
        } else {
            print(spread.table(run: run), terminator: "")
        }
    }

    /// Prints the report (table or JSON) and the plots' paths: shared with `ida report`.
    static func present(_ reports: [RunReport], group: RunRecord, wallSeconds: Double, plots: [String], json: Bool) throws {
        if json {
            if reports.count == 1 {
                print(try prettyJSON(reports[0]))
            } else {
                print(
                    try prettyJSON(
                        MultiTaskReport(
                            preset: group.preset, schedule: group.schedule, seed: group.seed, run: group.id,
                            reports: reports, wallSeconds: wallSeconds)))
            }
            for plot in plots { FileHandle.standardError.write(Data("learning curves: \(plot)\n".utf8)) }
            return
        }
        if reports.count == 1 {
            print(ReportTable.render(reports[0]), terminator: "")
        } else {
            print(
                ReportTable.render(
                    MultiTaskReport(
                        preset: group.preset, schedule: group.schedule, seed: group.seed, run: group.id,
                        reports: reports, wallSeconds: wallSeconds)),
                terminator: "")
        }
        for plot in plots { print("learning curves: \(plot)") }
    }

    static func prettyJSON<Value: Encodable>(_ value: Value, snakeCase: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

extension SeedSpreadReport {
    /// The spread as a table: a row per task, mean (min–max) of IA's X, Amp(H, X) and supervised,
    /// then IA − supervised seed by seed, in points.
    func table(run: String) -> String {
        func percent(_ value: Double) -> String { String(format: "%.1f", 100 * value) }
        func spread(_ spread: Spread) -> String {
            "\(percent(spread.mean))% (\(percent(spread.minimum))–\(percent(spread.maximum)))"
        }
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
        }
        let seedList = seeds.map(String.init).joined(separator: ", ")
        var lines = [
            "seeds \(seedList) · preset \(preset) · schedule \(schedule) · run \(run)",
            "each seed's run: \(runs.joined(separator: ", "))",
            "",
            pad("accuracy, mean (min–max)", 26) + pad("IA: X", 22) + pad("IA: Amp(H, X)", 22) + pad("supervised", 22)
                + "IA − supervised, seeds \(seedList)",
        ]
        for row in rows {
            let differences = row.differences.map { String(format: "%+.1f", 100 * $0) }.joined(separator: ", ")
            lines.append(
                pad(row.task, 26) + pad(spread(row.ia), 22) + pad(spread(row.amp), 22) + pad(spread(row.supervised), 22)
                    + differences)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
