/// The configuration of any one of the five tasks: which task, and its parameters.
///
/// ```swift
/// let configuration = try TaskCatalog.configuration(task: "permutation", preset: "tiny")
/// let task = configuration.makeTask()
/// ```
public enum TaskConfiguration: Hashable, Sendable {
    case permutation(PermutationPoweringConfiguration)
    case assignments(SequentialAssignmentsConfiguration)
    case wildcard(WildcardSearchConfiguration)
    case shortestPath(ShortestPathConfiguration)
    case unionFind(UnionFindConfiguration)

    /// The command-line name of the task.
    public var taskName: String {
        switch self {
        case .permutation: return "permutation"
        case .assignments: return "assignments"
        case .wildcard: return "wildcard"
        case .shortestPath: return "shortest-path"
        case .unionFind: return "union-find"
        }
    }

    /// What is wrong with the parameters, or `nil` when the task can be built.
    public var problem: String? {
        switch self {
        case .permutation(let configuration): return configuration.problem
        case .assignments(let configuration): return configuration.problem
        case .wildcard(let configuration): return configuration.problem
        case .shortestPath(let configuration): return configuration.problem
        case .unionFind(let configuration): return configuration.problem
        }
    }

    /// The full instance size of these parameters.
    public var size: Int {
        switch self {
        case .permutation(let configuration): return configuration.size
        case .assignments(let configuration): return configuration.size
        case .wildcard(let configuration): return configuration.size
        case .shortestPath(let configuration): return configuration.size
        case .unionFind(let configuration): return configuration.size
        }
    }

    /// The task.
    ///
    /// - Precondition: `problem == nil`.
    public func makeTask() -> any AmplificationTask {
        switch self {
        case .permutation(let configuration): return PermutationPowering(configuration)
        case .assignments(let configuration): return SequentialAssignments(configuration)
        case .wildcard(let configuration): return WildcardSearch(configuration)
        case .shortestPath(let configuration): return ShortestPath(configuration)
        case .unionFind(let configuration): return UnionFind(configuration)
        }
    }

    /// The configuration `task` was built from, when it is one of the five tasks.
    public init?(of task: any AmplificationTask) {
        switch task {
        case let task as PermutationPowering: self = .permutation(task.configuration)
        case let task as SequentialAssignments: self = .assignments(task.configuration)
        case let task as WildcardSearch: self = .wildcard(task.configuration)
        case let task as ShortestPath: self = .shortestPath(task.configuration)
        case let task as UnionFind: self = .unionFind(task.configuration)
        default: return nil
        }
    }
}
