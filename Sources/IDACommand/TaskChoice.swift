import ArgumentParser
import Tasks

// TODO(#3): replace with the tasks engineer's catalog once `tasks` lands it.
enum TaskChoice {
    static let names = ["permutation", "assignments", "wildcard", "shortest-path", "union-find"]

    static func make(name: String, preset: String) throws -> any AmplificationTask {
        switch (name, preset) {
        case ("permutation", "tiny"): return PermutationPowering(.tiny)
        case ("permutation", "small"): return PermutationPowering(.small)
        case ("permutation", "paper"): return PermutationPowering(.paper)
        case ("assignments", "tiny"): return SequentialAssignments(.tiny)
        case ("assignments", "small"): return SequentialAssignments(.small)
        case ("assignments", "paper"): return SequentialAssignments(.paper)
        case ("wildcard", "tiny"): return WildcardSearch(.tiny)
        case ("wildcard", "small"): return WildcardSearch(.small)
        case ("wildcard", "paper"): return WildcardSearch(.paper)
        case ("shortest-path", "tiny"): return ShortestPath(.tiny)
        case ("shortest-path", "small"): return ShortestPath(.small)
        case ("shortest-path", "paper"): return ShortestPath(.paper)
        case ("union-find", "tiny"): return UnionFind(.tiny)
        case ("union-find", "small"): return UnionFind(.small)
        case ("union-find", "paper"): return UnionFind(.paper)
        default: throw ValidationError("unknown task '\(name)' or preset '\(preset)'")
        }
    }
}
