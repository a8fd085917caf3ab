import Application
import ArgumentParser
import Foundation
import Store

/// `ida report RUN`: re-renders a stored run's report and learning curves.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print a stored run's report and redraw its learning curves.",
        discussion: """
            RUN is the id `ida run` printed (or any of its IA or supervised runs). The table and \
            the JSON are exactly what `ida run` printed at the end; the SVG is redrawn from the \
            stored evaluations.
            """
    )

    @Argument(help: ArgumentHelp("The run id (see `ida runs`).", valueName: "run"))
    var runID: String

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(help: ArgumentHelp("The directory for the learning-curve SVG files.", valueName: "dir"))
    var output = "."

    @OptionGroup var store: StoreOptions

    func run() throws {
        let runStore = try store.openExisting()
        if let spread = try SeedSpreadReport.stored(runID, in: runStore) {
            try RunCommand.present(spread, run: runID, json: json)
            return
        }
        var parent = try runStore.run(id: runID)
        if parent.kind != .hch, let id = parent.parentID { parent = try runStore.run(id: id) }
        if let reports = try PreferenceJob.report(of: parent) {
            try RunCommand.present(reports, json: json)
            return
        }
        let (group, reports, wall) = try TrainingJob.report(of: runID, in: runStore)
        let plots = try reports.map { report in
            try LearningCurvePlot.write(task: report.task, group: group, store: runStore, directory: output)
        }
        try RunCommand.present(reports, group: group, wallSeconds: wall, plots: plots, json: json)
    }
}
