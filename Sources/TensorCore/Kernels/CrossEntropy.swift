// Fused log-softmax + cross-entropy over the last axis, and negative log-likelihood of given
// log-probabilities (for mixtures built in log space).
//
// Dimensions: N rows (every leading axis folded), V classes.
// Forward: p = softmax(logits[n]); loss = Σ_n w[n]·(−ln p[n, target[n]]) / Σ_n w[n]
//          (w[n] = 0 for ignored rows; loss 0 when no row counts).
//          nll: loss = Σ_n w[n]·(−logp[n, target[n]]) / Σ_n w[n].
// Caches: probs (N, V) for cross-entropy; nll needs none.
// Backward: dLogits[n] += dLoss · w[n] / Σw · (p[n] − onehot(target[n])); dLogp[n, t] −= dLoss·w[n]/Σw.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes the loss to `loss[0]` and the row probabilities to `probs`.
// Safe: (N, V) buffers; targets were checked in 0..<V (ignored rows mapped to 0 and weighted 0).
func crossEntropyForward(
    loss: UnsafeMutablePointer<Float>,  // (1)
    probs: UnsafeMutablePointer<Float>,  // (N, V)
    logits: UnsafePointer<Float>,  // (N, V)
    targets: UnsafePointer<Int>, weights: UnsafePointer<Float>,  // (N), (N)
    rows: Int, classes: Int, totalWeight: Float
) {
    softmaxForward(out: probs, input: logits, rows: rows, width: classes)
    var total = 0.0
    for n in 0..<rows where weights[n] != 0 {
        // −ln p computed from the logits (log-sum-exp) so tiny probabilities stay finite.
        let x = logits + n * classes
        var maximum = -Float.infinity
        for j in 0..<classes where x[j] > maximum { maximum = x[j] }
        var sum: Float = 0
        for j in 0..<classes { sum += fastExp(x[j] - maximum) }
        total += Double(weights[n]) * Double(maximum + logf(sum) - x[targets[n]])
    }
    loss[0] = totalWeight > 0 ? Float(total / Double(totalWeight)) : 0
}

// Safe: same buffers and target check as the forward.
func crossEntropyBackward(
    dLogits: UnsafeMutablePointer<Float>,  // (N, V)
    dLoss: Float, probs: UnsafePointer<Float>,  // (N, V)
    targets: UnsafePointer<Int>, weights: UnsafePointer<Float>,  // (N), (N)
    rows: Int, classes: Int, totalWeight: Float
) {
    guard totalWeight > 0 else { return }
    for n in 0..<rows where weights[n] != 0 {
        let g = dLoss * weights[n] / totalWeight
        let p = probs + n * classes, d = dLogits + n * classes
        for j in 0..<classes { d[j] += g * p[j] }
        d[targets[n]] -= g
    }
}

// Safe: (N, V) log-probabilities; targets were checked in 0..<V by `lossWeights`.
func negativeLogLikelihoodForward(
    loss: UnsafeMutablePointer<Float>,  // (1)
    logProbabilities: UnsafePointer<Float>,  // (N, V)
    targets: UnsafePointer<Int>, weights: UnsafePointer<Float>,  // (N), (N)
    rows: Int, classes: Int, totalWeight: Float
) {
    var total = 0.0
    for n in 0..<rows where weights[n] != 0 {
        total -= Double(weights[n]) * Double(logProbabilities[n * classes + targets[n]])
    }
    loss[0] = totalWeight > 0 ? Float(total / Double(totalWeight)) : 0
}

// Safe: same buffer and target check as the forward.
func negativeLogLikelihoodBackward(
    dLogProbabilities: UnsafeMutablePointer<Float>,  // (N, V)
    dLoss: Float, targets: UnsafePointer<Int>, weights: UnsafePointer<Float>,  // (N), (N)
    rows: Int, classes: Int, totalWeight: Float
) {
    guard totalWeight > 0 else { return }
    for n in 0..<rows where weights[n] != 0 {
        dLogProbabilities[n * classes + targets[n]] -= dLoss * weights[n] / totalWeight
    }
}
