import ArgumentParser
import Tasks

/// `--task` and `--preset`, shared by the commands that work on one task.
struct TaskOptions: ParsableArguments {
    @Option(help: "The task: permutation, assignments, wildcard, shortest-path or union-find.")
    var task: String

    @Option(help: "The preset: tiny, small or paper.")
    var preset = "small"

    /// The configuration named by the options.
    ///
    /// - Throws: `TaskLookupError` for an unknown task or preset.
    func configuration() throws -> TaskConfiguration {
        try TaskCatalog.configuration(task: task, preset: preset)
    }
}
