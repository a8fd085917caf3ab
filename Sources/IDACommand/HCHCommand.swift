import Amplification
import Application
import ArgumentParser
import Foundation
import LanguageModels
import SeededRandom
import Store
import Tasks

/// `ida hch`: the HCH staircase. Evaluates HCH_0 … HCH_N with the scripted expert on sampled
/// instances and prints accuracy by question depth for each n, with what it cost.
struct HCHCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hch",
        abstract: "Evaluate HCH_0 … HCH_N (the scripted expert or a language model as H): accuracy by question depth.",
        discussion: """
            HCH_0 is the expert with leaf lookups only; HCH_n is the expert consulting HCH_{n-1}, \
            run as one tree of workspaces down to depth n; the sub-questions asked below that are \
            answered unknown, and are the assistant calls and questions counted. A question of \
            depth d needs \
            HCH_d, so the table shows a staircase: accuracy 1.00 on and below the diagonal \
            (question depth ≤ n). Accuracy is exact match against the ground truth, which is \
            used for scoring only: the counters show that no ground truth reached an answer \
            other than through leaf lookups. Each HCH_n's trees are stored in the database, one \
            run each (`ida trace RUN` prints them).

            With --supervisor llm, a language model is H: it reads each workspace in the task's \
            words and replies with one action (Documentation/LanguageModels.md); its requests, \
            tokens, retries and wall time are reported per n.
            """
    )

    @OptionGroup var taskOptions: TaskOptions

    @Option(help: "The deepest HCH evaluated (HCH_0 … HCH_N).")
    var maxDepth: Int

    @Option(help: "Instances sampled at full size (each brings its questions).")
    var count = 16

    @Option(help: "The seed of the instances and of the runs (chosen and printed when omitted).")
    var seed: UInt64?

    @Option(help: "Who supervises: expert (the scripted expert) or llm (a language model reading the task's words).")
    var supervisor: HCHSupervisor = .expert

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @OptionGroup var store: StoreOptions

    @OptionGroup(title: "Language model (with --supervisor llm)") var model: ModelOptions

    /// The closed choice of `--supervisor`.
    enum HCHSupervisor: String, ExpressibleByArgument, CaseIterable {
        case expert
        case llm
    }

    /// Bad option values, reported in one line.
    enum Problem: Error, CustomStringConvertible {
        case negativeDepth(Int)
        case nonPositiveCount(Int)

        var description: String {
            switch self {
            case .negativeDepth(let depth): "--max-depth must be at least 0, got \(depth)"
            case .nonPositiveCount(let count): "--count must be at least 1, got \(count)"
            }
        }
    }

    func run() async throws {
        try checkOptions()
        let seed = self.seed ?? chosenSeed(command: "hch")
        let store = try store.open()
        let report: HCHEvaluation
        switch supervisor {
        case .expert:
            report = try await evaluate(seed: seed, store: store)
        case .llm:
            report = try await evaluateWithModel(seed: seed, store: store)
        }
        print(json ? try report.json() : report.table())
        let runs = report.runs
        let note = "stored HCH_0 … HCH_\(maxDepth)'s trees as runs \(runs.joined(separator: ", ")); "
            + "`ida trace \(runs[0])` prints HCH_0's\n"
        FileHandle.standardError.write(Data(note.utf8))
    }

    func checkOptions() throws {
        guard maxDepth >= 0 else { throw Problem.negativeDepth(maxDepth) }
        guard count >= 1 else { throw Problem.nonPositiveCount(count) }
        _ = try taskOptions.configuration()
        if supervisor == .llm { try model.check() }
    }

    /// What the command prints for `seed` (a function of the arguments, for tests).
    func output(seed: UInt64) async throws -> String {
        try checkOptions()
        let report = try await evaluate(seed: seed)
        return json ? try report.json() : report.table()
    }

    /// HCH_0 … HCH_N with a language model as the supervisor, reading and writing the task's
    /// words; its usage per n in the costs, and a line per n on stderr as each finishes.
    func evaluateWithModel(seed: UInt64, store: any RunStore) async throws -> HCHEvaluation {
        try checkOptions()
        let meter = UsageMeter(budget: model.budget)
        let chat = try await model.chatModel(meter: meter, store: store)
        let templates = try model.templates()
        let settings = model.settings
        return try await HCHEvaluation.evaluate(
            task: taskOptions.task, preset: taskOptions.preset, maxDepth: maxDepth, count: count, seed: seed, store: store,
            supervisor: { task in
                LanguageModelSupervisor(
                    domain: TaskDomain(task), model: chat, meter: meter, templates: templates, settings: settings)
            },
            meter: meter,
            progress: { cost in
                let line = "ida hch: HCH_\(cost.hchDepth) done: \(cost.counters.supervisorActions) actions; "
                    + (cost.model?.summary ?? "") + "\n"
                FileHandle.standardError.write(Data(line.utf8))
            })
    }

    func evaluate(seed: UInt64, store: (any RunStore)? = nil) async throws -> HCHEvaluation {
        try checkOptions()
        return try await HCHEvaluation.evaluate(
            task: taskOptions.task, preset: taskOptions.preset, maxDepth: maxDepth, count: count, seed: seed, store: store)
    }
}

/// A seed for a run of `ida <command>` without `--seed`, printed on stderr so it can be repeated.
func chosenSeed(command: String) -> UInt64 {
    let seed = SampleCommand.chooseSeed()
    FileHandle.standardError.write(Data("ida \(command): seed \(seed)\n".utf8))
    return seed
}
