import Amplification
import ArgumentParser
import Foundation
import SeededRandom
import Tasks

/// `ida hch`: the HCH staircase. Evaluates HCH_0 … HCH_N with the scripted expert on sampled
/// instances and prints accuracy by question depth for each n, with what it cost.
struct HCHCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hch",
        abstract: "Evaluate HCH_0 … HCH_N with the scripted expert: accuracy by question depth.",
        discussion: """
            HCH_0 is the expert with leaf lookups only; HCH_n is the expert consulting HCH_{n-1} \
            (all sub-questions of a step go down as one batch). A question of depth d needs \
            HCH_d, so the table shows a staircase: accuracy 1.00 on and below the diagonal \
            (question depth ≤ n). Accuracy is exact match against the ground truth, which is \
            used for scoring only: the counters show that no ground truth reached an answer \
            other than through leaf lookups.
            """
    )

    @Option(help: "The task: permutation, assignments, wildcard, shortest-path or union-find.")
    var task: String

    @Option(help: "The preset: tiny, small or paper.")
    var preset = "small"

    @Option(help: "The deepest HCH evaluated (HCH_0 … HCH_N).")
    var maxDepth: Int

    @Option(help: "Instances sampled at full size (each brings its questions).")
    var count = 16

    @Option(help: "The seed of the instances and of the runs (chosen and printed when omitted).")
    var seed: UInt64?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard maxDepth >= 0 else { throw ValidationError("--max-depth must be non-negative, got \(maxDepth)") }
        guard count > 0 else { throw ValidationError("--count must be positive, got \(count)") }
    }

    func run() async throws {
        let task = try TaskCatalog.task(named: self.task, preset: preset)
        let seed = self.seed ?? chosenSeed()
        let report = try await HCHEvaluation.evaluate(task: task, preset: preset, maxDepth: maxDepth, count: count, seed: seed)
        if json {
            print(try report.json())
        } else {
            print(report.table())
        }
    }
}

/// A seed for a command run without `--seed`, printed on stderr so the run can be repeated.
func chosenSeed() -> UInt64 {
    let seed = UInt64.random(in: 0..<1_000_000)
    FileHandle.standardError.write(Data("seed \(seed) (pass --seed \(seed) to repeat)\n".utf8))
    return seed
}
