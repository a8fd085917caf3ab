import ArgumentParser
import Foundation
import SeededRandom
import Tasks

/// `ida sample`: instances with ground-truth answers and depths, as JSON Lines.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write sampled instances with answers and depths as JSON Lines.",
        discussion: """
            Each line is one instance in the format of Documentation/InstanceFormat.md: the task, \
            its parameters, the facts, the questions, and their ground-truth answers and depths. \
            Equal seeds give equal files.
            """
    )

    @OptionGroup var taskOptions: TaskOptions

    @Option(parsing: .unconditional, help: "Instances to write.")
    var count = 1

    @Option(parsing: .unconditional, help: "Elements per instance, from the preset's minimum size to its size (default: the size).")
    var size: Int?

    @Option(help: "The seed (chosen and printed on stderr when omitted).")
    var seed: UInt64?

    @Option(help: "The file to write (default: standard output).")
    var output: String?

    /// Bad input, reported as one line.
    enum Problem: Error, CustomStringConvertible {
        case nonPositiveCount(Int)
        case impossibleSize(Int, allowed: ClosedRange<Int>, preset: String)
        case unwritable(path: String, reason: String)

        var description: String {
            switch self {
            case .nonPositiveCount(let count): return "--count must be at least 1, got \(count)"
            case let .impossibleSize(size, allowed, preset):
                return "--size \(size) is impossible for preset \(preset); choose \(allowed.lowerBound)...\(allowed.upperBound)"
            case let .unwritable(path, reason): return "cannot write \(path): \(reason)"
            }
        }
    }

    /// The JSON Lines for `seed`.
    func lines(seed: UInt64) throws -> String {
        guard count >= 1 else { throw Problem.nonPositiveCount(count) }
        let configuration = try taskOptions.configuration()
        let task = configuration.makeTask()
        let size = self.size ?? task.size
        guard (task.minimumSize...task.size).contains(size) else {
            throw Problem.impossibleSize(size, allowed: task.minimumSize...task.size, preset: taskOptions.preset)
        }
        var rng = SplitMix64(seed: seed)
        let records = (0..<count).map { _ in
            InstanceRecord.labelled(task.makeInstance(size: size, using: &rng), configuration: configuration)
        }
        return InstanceFile.write(records)
    }

    func run() throws {
        let seed = self.seed ?? Self.chooseSeed()
        let text = try lines(seed: seed)
        if self.seed == nil { FileHandle.standardError.write(Data("ida sample: seed \(seed)\n".utf8)) }
        guard let output else {
            print(text, terminator: "")
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        } catch {
            throw Problem.unwritable(path: output, reason: error.localizedDescription)
        }
    }

    /// A seed for a run without `--seed`.
    static func chooseSeed() -> UInt64 {
        UInt64.random(in: 0..<1_000_000)
    }
}
