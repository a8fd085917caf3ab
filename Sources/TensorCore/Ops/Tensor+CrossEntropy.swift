extension Tensor {
    /// Mean cross-entropy of these logits (…, V) against `targets`, one id per row, fused with
    /// the log-softmax: `sum(w[n] * -log(softmax(logits[n])[targets[n]])) / sum(w)`.
    ///
    /// A target of `-1` ignores its row; `weights` (one per row, default 1) weight rows, e.g. a
    /// 0/1 mask of answer positions. The mean runs over the counted weight; with none the loss
    /// is 0. Preconditions: one target per row; targets in -1..<V; weights non-negative.
    public func crossEntropy(targets: [Int], weights: [Float]? = nil) -> Tensor {
        let classes = shape.last ?? 1
        let rows = count / max(classes, 1)
        let rowWeights = Self.lossWeights(targets: targets, weights: weights, rows: rows, classes: classes, name: "crossEntropy")
        let totalWeight = rowWeights.reduce(0, +)
        let safeTargets = targets.map { max($0, 0) }
        let out = Tensor(uninitializedShape: [1])
        out.storage[0] = 0  // the loss of zero rows
        let probs = Tensor(uninitializedShape: [rows, classes])
        // Safe: both arrays have `rows` entries (checked by lossWeights); the pointers do not escape the closures.
        safeTargets.withUnsafeBufferPointer { t in
            rowWeights.withUnsafeBufferPointer { w in
                guard let tb = t.baseAddress, let wb = w.baseAddress else { return }
                crossEntropyForward(
                    loss: out.storage, probs: probs.storage, logits: storage, targets: tb, weights: wb,
                    rows: rows, classes: classes, totalWeight: totalWeight)
            }
        }
        out.record(self) { out in
            // Safe: the backward's captured arrays have `rows` entries; the pointers do not escape the closures.
            safeTargets.withUnsafeBufferPointer { t in
                rowWeights.withUnsafeBufferPointer { w in
                    guard let tb = t.baseAddress, let wb = w.baseAddress else { return }
                    crossEntropyBackward(
                        dLogits: self.gradientPointer(), dLoss: out.gradientPointer()[0], probs: probs.storage,
                        targets: tb, weights: wb, rows: rows, classes: classes, totalWeight: totalWeight)
                }
            }
        }
        return out
    }

    /// Mean negative log-likelihood of these log-probabilities (…, V):
    /// `sum(w[n] * -logp[n, targets[n]]) / sum(w)`, with the same ignore and weight rules as
    /// ``crossEntropy(targets:weights:)``. Use it on a mixture built in log space.
    public func negativeLogLikelihood(targets: [Int], weights: [Float]? = nil) -> Tensor {
        let classes = shape.last ?? 1
        let rows = count / max(classes, 1)
        let rowWeights = Self.lossWeights(targets: targets, weights: weights, rows: rows, classes: classes, name: "negativeLogLikelihood")
        let totalWeight = rowWeights.reduce(0, +)
        let safeTargets = targets.map { max($0, 0) }
        let out = Tensor(uninitializedShape: [1])
        out.storage[0] = 0  // the loss of zero rows
        // Safe: both arrays have `rows` entries (checked by lossWeights); the pointers do not escape the closures.
        safeTargets.withUnsafeBufferPointer { t in
            rowWeights.withUnsafeBufferPointer { w in
                guard let tb = t.baseAddress, let wb = w.baseAddress else { return }
                negativeLogLikelihoodForward(
                    loss: out.storage, logProbabilities: storage, targets: tb, weights: wb,
                    rows: rows, classes: classes, totalWeight: totalWeight)
            }
        }
        out.record(self) { out in
            // Safe: the backward's captured arrays have `rows` entries; the pointers do not escape the closures.
            safeTargets.withUnsafeBufferPointer { t in
                rowWeights.withUnsafeBufferPointer { w in
                    guard let tb = t.baseAddress, let wb = w.baseAddress else { return }
                    negativeLogLikelihoodBackward(
                        dLogProbabilities: self.gradientPointer(), dLoss: out.gradientPointer()[0],
                        targets: tb, weights: wb, rows: rows, classes: classes, totalWeight: totalWeight)
                }
            }
        }
        return out
    }

    /// Row weights with ignored rows (target -1) zeroed, after checking the preconditions.
    static func lossWeights(targets: [Int], weights: [Float]?, rows: Int, classes: Int, name: String) -> [Float] {
        precondition(targets.count == rows, "\(name): \(targets.count) targets for \(rows) rows")
        if let weights {
            precondition(weights.count == rows, "\(name): \(weights.count) weights for \(rows) rows")
            precondition(weights.allSatisfy { $0 >= 0 }, "\(name): weights must be non-negative")
        }
        return targets.enumerated().map { n, target in
            precondition(target >= -1 && target < classes, "\(name): target \(target) in row \(n) outside -1..<\(classes)")
            return target == -1 ? 0 : (weights?[n] ?? 1)
        }
    }
}
