import Foundation
import NeuralNetworks
import SeededRandom
import TensorCore

/// Timing helpers of `ida bench`: the clock is read here, at the edge, never in the library.
enum BenchTiming {
    static func format(_ value: Double) -> String { String(format: "%.3f", value) }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) * 1e-15
    }

    /// Best GFLOP/s of a size³ single-precision matrix product (cblas_sgemm via `matmul`).
    static func sgemmGFLOPs(size: Int, repetitions: Int = 20) -> Double {
        var rng = SplitMix64(seed: 1)
        let a = Tensor.normal(shape: [size, size], using: &rng)
        let b = Tensor.normal(shape: [size, size], using: &rng)
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<repetitions {
            let start = clock.now
            let product = a.matmul(b)
            best = min(best, milliseconds(clock.now - start))
            withExtendedLifetime(product) {}
        }
        return 2 * Double(size * size * size) / (best * 1e6)
    }

    /// The machine's 1, 5 and 15 minute load averages (Linux `/proc/loadavg`), so that a reader
    /// can tell a measurement taken on a busy machine; "unknown" elsewhere.
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// CPU time of this process (all threads) in milliseconds.
    static func processCPUMilliseconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1e3 + Double(time.tv_nsec) * 1e-6
    }

    /// Summary of per-step times in milliseconds.
    static func summary(_ times: [Double]) -> (median: Double, best: Double) {
        let sorted = times.sorted()
        return (sorted[sorted.count / 2], sorted[0])
    }
}

/// An answerer, a random batch of the benchmark's shape and its optimizer, ready to be timed.
final class AnswererStepTimer {
    let model: Answerer
    let batch: AnswererBatch
    let trainer: AnswererTrainer

    init(
        configuration: AnswererConfiguration, dimensions: TaskDimensions, instanceCount: Int, factCount: Int, questionCount: Int,
        shardCount: Int
    ) {
        var rng = SplitMix64(seed: 1)
        model = Answerer(configuration: configuration, dimensions: dimensions, rng: &rng)
        var data = rng.split(stream: 2)
        func tokens(_ count: Int) -> [Int] { (0..<count).map { _ in Int.random(in: 1..<dimensions.vocabularySize, using: &data) } }
        batch = AnswererBatch(
            instanceCount: instanceCount, factCount: factCount, questionCount: questionCount,
            facts: tokens(instanceCount * factCount * dimensions.factLength),
            questions: tokens(instanceCount * questionCount * dimensions.questionLength),
            targets: tokens(instanceCount * questionCount * dimensions.answerLength))
        let adam = Adam(parameters: model.parameters().map(\.tensor), configuration: .small)
        trainer = AnswererTrainer(model: model, optimizer: adam, shardCount: shardCount)
    }

    var flopsPerStep: Double {
        model.trainingStepMatmulFLOPs(
            instanceCount: batch.instanceCount, factCount: batch.factCount, questionCount: batch.questionCount)
    }

    /// Process CPU milliseconds of all timed steps so far, and their number.
    private(set) var cpuMilliseconds: Double = 0
    private(set) var timedSteps = 0

    /// Milliseconds of each of `steps` full training steps (forward, backward, clipped Adam: the
    /// `AnswererTrainer` step that distillation runs) after `warmup` untimed ones.
    func measure(warmup: Int, steps: Int) -> [Double] {
        let clock = ContinuousClock()
        var times: [Double] = []
        var cpuStart = 0.0
        for step in 0..<(warmup + steps) {
            if step == warmup { cpuStart = BenchTiming.processCPUMilliseconds() }
            let start = clock.now
            trainer.step(batch)
            if step >= warmup { times.append(BenchTiming.milliseconds(clock.now - start)) }
        }
        cpuMilliseconds += BenchTiming.processCPUMilliseconds() - cpuStart
        timedSteps += steps
        return times
    }
}
