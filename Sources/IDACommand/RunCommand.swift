import Application
import ArgumentParser
import Distillation
import Foundation
import Store
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
            the expert is called only for demonstrations, fewer as H′ learns. The report counts \
            IA's expert calls (with the scripted expert, every supervisor action) beside the \
            ground-truth labels the baseline consumed, and H′'s held-out action accuracy.
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

    func configuration(seed: UInt64) -> JobConfiguration {
        JobConfiguration(
            tasks: task == "all" ? TaskCatalog.taskNames : [task], preset: preset,
            schedule: TrainingSchedule(rawValue: schedule) ?? .continuous, seed: seed, steps: steps,
            checkpointInterval: checkpointInterval, evaluationInterval: evalInterval,
            supervisor: SupervisorChoice(rawValue: supervisor) ?? .scripted)
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

    static func prettyJSON<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
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
