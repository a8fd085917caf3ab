/// A task or preset name that the catalog does not know, or parameters no task can be built from.
public enum TaskLookupError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownTask(name: String, available: [String])
    case unknownPreset(name: String, available: [String])
    case invalidParameters(task: String, problem: String)

    public var description: String {
        switch self {
        case let .unknownTask(name, available):
            return "unknown task \"\(name)\"; available tasks: \(available.joined(separator: ", ")) (see `ida tasks`)"
        case let .unknownPreset(name, available):
            return "unknown preset \"\(name)\"; available presets: \(available.joined(separator: ", "))"
        case let .invalidParameters(task, problem):
            return "invalid parameters for task \(task): \(problem)"
        }
    }
}
