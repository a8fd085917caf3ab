import Application
import ArgumentParser
import Foundation

/// `ida compare`: IA against RL from preferences, read from stored runs.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare IA with RLHF and RL from true preferences on stored runs: a table and curves per task.",
        discussion: """
            RUN… are finished `ida run` runs (any of --method ia, rlhf, rl-oracle; any seeds) of \
            tasks E_b can judge (permutation, wildcard, shortest-path). Every final model (IA's X, \
            the supervised model, each RL policy) answers the same fresh held-out instances; the \
            table gives each method's mean (min–max) over its seeds: accuracy overall and by depth, \
            expert calls, accuracy on the questions E_b verifies within b lookups (b = 1, 2, 4) and \
            on the rest, the reward model's accuracy, and the share of E_b's approvals that are \
            wrong. One SVG per task plots each run's accuracy against its expert calls. \
            scripts/rlhf-comparison makes the runs (Documentation/RLHF.md).
            """
    )

    @Argument(help: ArgumentHelp("The runs (see `ida runs`).", valueName: "run"))
    var runs: [String]

    @Option(help: ArgumentHelp("Fresh instances per task every model answers.", valueName: "count"))
    var heldOut = 128

    @Flag(help: "Print the comparison as JSON.")
    var json = false

    @Option(help: ArgumentHelp("The directory for the SVG files.", valueName: "dir"))
    var output = "."

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard !runs.isEmpty else { throw ValidationError("name at least one run") }
        guard heldOut >= 1 else { throw ValidationError("--held-out must be at least 1, got \(heldOut)") }
    }

    func run() throws {
        let comparison = try PreferenceComparison.build(runs: runs, store: try store.openExisting(), heldOutCount: heldOut)
        var plots: [String] = []
        for task in comparison.tasks {
            let url = URL(fileURLWithPath: output, isDirectory: true).appendingPathComponent("ida-compare-\(task.task).svg")
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                try ComparisonTable.plot(task).svg().write(to: url, atomically: true, encoding: .utf8)
            } catch {
                throw CommandError.file(path: url.path, problem: "cannot write the curves (choose another --output)")
            }
            plots.append(url.path)
        }
        if json {
            print(try RunCommand.prettyJSON(comparison, snakeCase: true))
            for plot in plots { FileHandle.standardError.write(Data("curves: \(plot)\n".utf8)) }
        } else {
            print(ComparisonTable.render(comparison), terminator: "")
            for plot in plots { print("curves: \(plot)") }
        }
    }
}
