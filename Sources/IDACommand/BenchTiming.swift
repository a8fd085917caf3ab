import Foundation
import NeuralNetworks
import SeededRandom
import TensorCore

/// Timing helpers of `ida bench`: the clock is read here, at the edge, never in the library.
enum BenchTiming {
    struct StepTimes {
        var medianMilliseconds: Double
        var bestMilliseconds: Double
        var flopsPerStep: Double
        var parameterCount: Int
    }

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
            precondition(product.count == size * size)
        }
        return 2 * Double(size * size * size) / (best * 1e6)
    }

    /// Times full training steps of an answerer on a random batch of the given shape.
    static func answererStep(
        configuration: AnswererConfiguration, dimensions: TaskDimensions, instanceCount: Int, factCount: Int,
        questionCount: Int, warmup: Int, steps: Int
    ) -> StepTimes {
        var rng = SplitMix64(seed: 1)
        let model = Answerer(configuration: configuration, dimensions: dimensions, rng: &rng)
        var data = rng.split(stream: 2)
        func tokens(_ count: Int) -> [Int] { (0..<count).map { _ in Int.random(in: 1..<dimensions.vocabularySize, using: &data) } }
        let batch = AnswererBatch(
            instanceCount: instanceCount, factCount: factCount, questionCount: questionCount,
            facts: tokens(instanceCount * factCount * dimensions.factLength),
            questions: tokens(instanceCount * questionCount * dimensions.questionLength),
            targets: tokens(instanceCount * questionCount * dimensions.answerLength))
        let adam = Adam(parameters: model.parameters().map(\.tensor), configuration: .small)
        let tape = Tape()
        let clock = ContinuousClock()
        var times: [Double] = []
        for step in 0..<(warmup + steps) {
            let start = clock.now
            let loss = tape.recording { model.loss(batch) }
            tape.backward(loss)
            adam.step()
            if step >= warmup { times.append(milliseconds(clock.now - start)) }
        }
        times.sort()
        return StepTimes(
            medianMilliseconds: times[times.count / 2], bestMilliseconds: times[0],
            flopsPerStep: model.trainingStepMatmulFLOPs(
                instanceCount: instanceCount, factCount: factCount, questionCount: questionCount),
            parameterCount: model.parameterCount)
    }
}
