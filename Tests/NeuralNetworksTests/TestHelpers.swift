import SeededRandom
import TensorCore

@testable import NeuralNetworks

/// Central-difference check of d(loss)/d(parameter) at a few sampled indices of each tensor.
///
/// `loss` is evaluated in Float on a fresh tape each time; the analytic gradient comes from one
/// recorded backward pass. Passes when |numeric − analytic| ≤ tolerance·max(1, |numeric|).
struct GradientProbe: CustomStringConvertible {
    var rows: [(key: String, index: Int, numeric: Float, analytic: Float)] = []
    var tolerance: Float

    var worst: Float {
        rows.map { abs($0.numeric - $0.analytic) / max(1, abs($0.numeric)) }.max() ?? 0
    }
    var passed: Bool { !rows.isEmpty && worst <= tolerance }

    var description: String {
        rows.filter { abs($0.numeric - $0.analytic) / max(1, abs($0.numeric)) > tolerance / 4 }
            .map { "\($0.key)[\($0.index)]: numeric \($0.numeric) analytic \($0.analytic)" }
            .joined(separator: "\n") + "\nworst relative difference \(worst) (tolerance \(tolerance))"
    }

    init(
        parameters: [NamedParameter], samplesPerTensor: Int, seed: UInt64, epsilon: Float = 1e-2,
        tolerance: Float = 2e-2, loss: () -> Tensor
    ) {
        self.tolerance = tolerance
        let tape = Tape()
        let value = tape.recording { loss() }
        tape.backward(value)
        var rng = SplitMix64(seed: seed)
        for (key, tensor) in parameters {
            let analyticAll = tensor.gradient ?? [Float](repeating: 0, count: tensor.count)
            for _ in 0..<samplesPerTensor {
                let index = Int.random(in: 0..<tensor.count, using: &rng)
                let original = tensor.withUnsafeMutableBuffer { $0[index] }
                func evaluate(_ shifted: Float) -> Double {
                    tensor.withUnsafeMutableBuffer { $0[index] = shifted }
                    return Double(Tape.withoutRecording { loss() }.item)
                }
                let numeric = (evaluate(original + epsilon) - evaluate(original - epsilon)) / Double(2 * epsilon)
                tensor.withUnsafeMutableBuffer { $0[index] = original }
                rows.append((key, index, Float(numeric), analyticAll[index]))
            }
        }
        for (_, tensor) in parameters { tensor.zeroGradient() }
    }
}

/// A made-up lookup task: each instance is a dictionary of `factCount` (key, value) facts; a
/// question is a key; its answer is (value, key). Keys are 1...8, values 9...16.
enum ToyLookup {
    static let dimensions = TaskDimensions(vocabularySize: 17, factLength: 2, questionLength: 1, answerLength: 2)

    static func batch(instanceCount: Int, factCount: Int, seed: UInt64) -> AnswererBatch {
        var rng = SplitMix64(seed: seed)
        var facts: [[[Int]]] = []
        var questions: [[[Int]]] = []
        var targets: [[[Int]]] = []
        for _ in 0..<instanceCount {
            let keys = Array((1...8).shuffled(using: &rng).prefix(factCount))
            let values = keys.map { _ in Int.random(in: 9...16, using: &rng) }
            facts.append(zip(keys, values).map { [$0, $1] })
            let order = Array(0..<factCount).shuffled(using: &rng)
            questions.append(order.map { [keys[$0]] })
            targets.append(order.map { [values[$0], keys[$0]] })
        }
        return AnswererBatch(facts: facts, questions: questions, targets: targets)
    }
}
