import ArgumentParser
import Tasks

// TODO(#3): replace with the tasks engineer's catalog once `tasks` lands it.
enum TaskChoice {
    static let names = ["permutation"]

    static func make(name: String, preset: String) throws -> any AmplificationTask {
        switch (name, preset) {
        case ("permutation", "tiny"): return PermutationPowering(.tiny)
        case ("permutation", "small"): return PermutationPowering(.small)
        case ("permutation", "paper"): return PermutationPowering(.paper)
        default: throw ValidationError("unknown task '\(name)' or preset '\(preset)'")
        }
    }
}
