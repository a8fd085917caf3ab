import ArgumentParser
import Foundation
import NeuralNetworks
import SeededRandom
import TensorCore

/// `ida bench train-step`: one full training step of the answerer (forward, backward, clipped
/// Adam) against the same step of the PyTorch twin `Benchmarks/pytorch/answerer_step.py`, run in
/// the same process tree with the same shapes and thread count.
struct TrainStepBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-step",
        abstract: "Time one answerer training step (forward, backward, Adam) against PyTorch.",
        discussion: """
            Default batch: 32 instances x 16 facts x 16 questions (512 questions), facts of 4 \
            tokens, questions of 4, answers of 2, vocabulary 32: the CPU-sized tasks of the \
            reference (§9). Prints the median and best time per step of each side, speedup = \
            PyTorch time / ida time, and the achieved matmul GFLOP/s against a 512x512x512 \
            cblas_sgemm measured in the same run. Build with -c release.
            """
    )

    @Option(help: "Model size: small or medium (also tiny, paper).")
    var preset: String = "small"
    @Option(help: "Instances per batch (B).")
    var batch: Int = 32
    @Option(help: "Facts per instance (F).")
    var facts: Int = 16
    @Option(help: "Questions per instance (Q).")
    var questions: Int = 16
    @Option(help: "Threads for PyTorch (default: all cores, which ida's kernels always use).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "OpenBLAS threads for ida. 1 (default): ida splits products across the cores itself.")
    var blasThreads: Int = 1
    @Option(help: "Data-parallel shards per step for ida (distillation's default: 2; 1 = one tape, ops split across cores).")
    var shards: Int = 2
    @Option(help: "Timed steps per side and round.")
    var steps: Int = 20
    @Option(help: "Untimed warm-up steps per side and round.")
    var warmup: Int = 5
    @Option(help: "Rounds, each timing ida then PyTorch (alternating resists load changes).")
    var rounds: Int = 3
    @Option(help: "The Python interpreter with PyTorch.")
    var python: String = "python3"
    @Option(help: "Path of answerer_step.py (default: Benchmarks/pytorch in this checkout).")
    var script: String?
    @Flag(help: "Print one JSON object instead of a table.")
    var json = false
    @Flag(help: .hidden)
    var idaOnly = false

    static let dimensions = TaskDimensions(vocabularySize: 32, factLength: 4, questionLength: 4, answerLength: 2)

    func validate() throws {
        guard AnswererConfiguration.presets[preset] != nil else {
            throw ValidationError("unknown preset '\(preset)'; use one of: small, medium, tiny, paper")
        }
        guard batch > 0, facts > 0, questions > 0, threads > 0, blasThreads > 0, shards > 0, steps > 0, rounds > 0, warmup >= 0 else {
            throw ValidationError("--batch, --facts, --questions, --threads, --steps and --rounds must be positive")
        }
    }

    func run() async throws {
        let configuration = AnswererConfiguration.presets[preset] ?? .small
        let script = script ?? BenchPyTorch.defaultScript
        if !idaOnly { try BenchPyTorch.checkAvailable(python: python, script: script) }
        // One threading layer at a time: OpenBLAS single-threaded while ida's kernels (matrix
        // products included) split work across the cores, or OpenBLAS threads and no splitting.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        BLAS.threadCount = cores  // the reference product uses every core, as ida's step does
        let sgemm = BenchTiming.sgemmGFLOPs(size: 512)
        BLAS.threadCount = blasThreads
        if threads != cores {
            FileHandle.standardError.write(Data(
                "train-step: ida uses all \(cores) cores, PyTorch \(threads) threads: the comparison is uneven\n".utf8))
        }
        let timer = AnswererStepTimer(
            configuration: configuration, dimensions: Self.dimensions, instanceCount: batch, factCount: facts,
            questionCount: questions, shardCount: shards)
        var idaTimes: [Double] = []
        var torchMedians: [Double] = []
        var torchBests: [Double] = []
        var torchCPU: [Double] = []
        var torchParameters = 0
        for _ in 0..<rounds {
            idaTimes += timer.measure(warmup: warmup, steps: steps)
            if idaOnly { continue }
            let torch = try BenchPyTorch.run(
                python: python, script: script, configuration: configuration,
                dimensions: Self.dimensions, instanceCount: batch, factCount: facts, questionCount: questions,
                threads: threads, warmup: warmup, steps: steps)
            torchMedians.append(torch.medianMilliseconds)
            torchBests.append(torch.bestMilliseconds)
            torchCPU.append(torch.cpu_ms_per_step)
            torchParameters = torch.parameters
        }
        let ida = BenchTiming.summary(idaTimes)
        if idaOnly {
            print("ida_ms_per_step \(BenchTiming.format(ida.median)) best \(BenchTiming.format(ida.best))")
            return
        }
        // PyTorch reports a median and a best per round: the median of medians, the best of bests.
        let torch = (median: BenchTiming.summary(torchMedians).median, best: torchBests.min() ?? .nan)
        let idaGFLOPs = timer.flopsPerStep / (ida.median * 1e6)
        let report: [(String, String)] = [
            ("preset", "\"\(preset)\""),
            ("batch", "{\"instances\": \(batch), \"facts\": \(facts), \"questions\": \(questions)}"),
            ("threads", "\(threads)"),
            ("ida_cores", "\(cores)"),
            ("ida_blas_threads", "\(blasThreads)"),
            ("ida_shards", "\(shards)"),
            ("rounds", "\(rounds)"),
            ("parameters", "\(timer.model.parameterCount)"),
            ("pytorch_parameters", "\(torchParameters)"),
            ("ida_ms_per_step", BenchTiming.format(ida.median)),
            ("ida_best_ms_per_step", BenchTiming.format(ida.best)),
            ("pytorch_ms_per_step", BenchTiming.format(torch.median)),
            ("pytorch_best_ms_per_step", BenchTiming.format(torch.best)),
            ("speedup", BenchTiming.format(torch.median / ida.median)),
            ("speedup_best", BenchTiming.format(torch.best / ida.best)),
            ("ida_cpu_ms_per_step", BenchTiming.format(timer.cpuMilliseconds / Double(max(timer.timedSteps, 1)))),
            ("pytorch_cpu_ms_per_step", BenchTiming.format(torchCPU.reduce(0, +) / Double(max(torchCPU.count, 1)))),
            ("matmul_gflop_per_step", BenchTiming.format(timer.flopsPerStep / 1e9)),
            ("ida_gflops", BenchTiming.format(idaGFLOPs)),
            ("sgemm_gflops", BenchTiming.format(sgemm)),
            ("gflops_fraction_of_sgemm", BenchTiming.format(idaGFLOPs / sgemm)),
            ("load_average", "\"\(BenchTiming.loadAverage())\""),
        ]
        if json {
            print("{" + report.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
        } else {
            for (key, value) in report { print("\(key.padding(toLength: 26, withPad: " ", startingAt: 0)) \(value)") }
        }
    }
}
