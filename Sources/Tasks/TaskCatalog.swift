/// The five tasks by command-line name, with their presets.
///
/// ```swift
/// let task = try TaskCatalog.task(named: "wildcard", preset: "tiny")
/// ```
public enum TaskCatalog {
    /// The command-line names, in the reference's order.
    public static let taskNames = ["permutation", "assignments", "wildcard", "shortest-path", "union-find"]

    /// The tasks that say what b leaf lookups tell about an answer (``BoundedCheck``): those
    /// RL from a bounded evaluator's preferences can run on.
    public static let boundedTaskNames = taskNames.filter { (try? task(named: $0, preset: "tiny")) is any BoundedCheck }

    /// The preset names.
    public static let presetNames = TaskPreset.allCases.map(\.rawValue)

    /// A one-line summary of the task `name`, or `nil` for an unknown name.
    public static func summary(of name: String) -> String? {
        switch name {
        case "permutation": return "permutation powering: σ^k(x) for a hidden permutation σ, by halving k"
        case "assignments": return "sequential assignments: evaluate a variable of x := v / x := f(y, z) programs"
        case "wildcard": return "wildcard search: sum the ±1 values of the strings that match a pattern with *"
        case "shortest-path": return "shortest path: distance and first step between two vertices of a random digraph"
        case "union-find": return "union find: value, parent and depth of a variable in hidden spanning trees"
        default: return nil
        }
    }

    /// The parameters of task `name` at `preset`.
    ///
    /// - Throws: `TaskLookupError.unknownTask` or `.unknownPreset`.
    public static func configuration(task name: String, preset presetName: String) throws(TaskLookupError) -> TaskConfiguration {
        guard let preset = TaskPreset(rawValue: presetName) else {
            throw .unknownPreset(name: presetName, available: presetNames)
        }
        return try configuration(task: name, preset: preset)
    }

    /// The parameters of task `name` at `preset`.
    ///
    /// - Throws: `TaskLookupError.unknownTask`.
    public static func configuration(task name: String, preset: TaskPreset) throws(TaskLookupError) -> TaskConfiguration {
        switch (name, preset) {
        case ("permutation", .tiny): return .permutation(.tiny)
        case ("permutation", .small): return .permutation(.small)
        case ("permutation", .paper): return .permutation(.paper)
        case ("assignments", .tiny): return .assignments(.tiny)
        case ("assignments", .small): return .assignments(.small)
        case ("assignments", .paper): return .assignments(.paper)
        case ("wildcard", .tiny): return .wildcard(.tiny)
        case ("wildcard", .small): return .wildcard(.small)
        case ("wildcard", .paper): return .wildcard(.paper)
        case ("shortest-path", .tiny): return .shortestPath(.tiny)
        case ("shortest-path", .small): return .shortestPath(.small)
        case ("shortest-path", .paper): return .shortestPath(.paper)
        case ("union-find", .tiny): return .unionFind(.tiny)
        case ("union-find", .small): return .unionFind(.small)
        case ("union-find", .paper): return .unionFind(.paper)
        default: throw .unknownTask(name: name, available: taskNames)
        }
    }

    /// Task `name` at preset `preset` (default `small`).
    ///
    /// - Throws: `TaskLookupError.unknownTask` or `.unknownPreset`.
    public static func task(named name: String, preset: String = TaskPreset.small.rawValue) throws(TaskLookupError) -> any AmplificationTask {
        try configuration(task: name, preset: preset).makeTask()
    }
}
