// The transcript model's output head, fused: a causal copy distribution (attention over earlier
// positions' tokens) mixed with a generate distribution by a scalar gate, in log space
// (Documentation/Asker.md, "Output").
//
// Dimensions: B sequences, T query positions, S key positions (S ≥ T; query t sees keys
// 0 ... t + S − T, itself included), D copy query/key width, V vocabulary.
// Forward, for each row (b, t) with target y and visible keys s < n = t + S − T + 1:
//   logα[s] = logSoftmax_s(query[b, t]·key[b, s] / sqrt(D))
//   terms = {logσ(gate) + logα[s] : sources[b, s] == y} ∪ {logσ(−gate) + logSoftmax(generate)[y]}
//   out[b, t] = logsumexp(terms)                                              // log P(y)
// Caches: logα (B, T, S), the generate log-normaliser (B, T).
// Backward, with responsibilities r = exp(term − out) (they sum to 1), R = Σ_s r_s (copy share):
//   dGate += dOut·(R − σ(gate)); dGenerate[v] += dOut·r_gen·([v == y] − p_gen(v));
//   dLogit[s] = dOut·(r_s − R·α_s), then dQuery/dKey through the scaled dot product.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// log σ(x) = −softplus(−x), stable for large |x|.
@inline(__always)
func logSigmoid(_ x: Float) -> Float {
    min(x, 0) - log1pf(expf(-abs(x)))
}

/// The shapes of a causal copy-generate call, checked once.
struct CausalCopyGenerateShape {
    let B: Int, T: Int, S: Int, D: Int, V: Int

    init(copyQuery: Tensor, copyKey: Tensor, gate: Tensor, generate: Tensor, sourceCount: Int) {
        precondition(
            copyQuery.rank == 3 && copyKey.rank == 3 && gate.rank == 3 && generate.rank == 3,
            "causalCopyGenerate: inputs must be rank 3, got \(copyQuery.shape), \(copyKey.shape), \(gate.shape), \(generate.shape)")
        B = copyQuery.shape[0]
        T = copyQuery.shape[1]
        D = copyQuery.shape[2]
        S = copyKey.shape[1]
        V = generate.shape[2]
        precondition(
            copyKey.shape == [B, S, D] && gate.shape == [B, T, 1] && generate.shape == [B, T, V] && S >= T && D > 0
                && V > 0 && sourceCount == B * S,
            "causalCopyGenerate: shapes disagree, query \(copyQuery.shape), key \(copyKey.shape), gate \(gate.shape), "
                + "generate \(generate.shape), \(sourceCount) source tokens (need S ≥ T)")
    }
}

/// The per-row forward: fills logα (S entries, −∞ past the visible keys) and the generate
/// normaliser, and returns log P(target).
// Safe: row slices (S), (1), (D), (S, D), (V), (S); visible ≤ S since t < T ≤ S; target in 0..<V.
@inline(__always)
func causalCopyGenerateRowForward(
    logAlpha: UnsafeMutablePointer<Float>, generateNormalizer: UnsafeMutablePointer<Float>,
    query: UnsafePointer<Float>, key: UnsafePointer<Float>, gate: Float, generate: UnsafePointer<Float>,
    sources: UnsafePointer<Int>, visible: Int, target: Int, S: Int, D: Int, V: Int
) -> Float {
    let scale = 1 / Float(D).squareRoot()
    for s in 0..<S {
        logAlpha[s] = s < visible ? dot(query, key + s * D, D) * scale : -.infinity
    }
    let normalizer = logSumExp(logAlpha, count: visible)
    for s in 0..<visible { logAlpha[s] -= normalizer }
    generateNormalizer[0] = logSumExp(generate, count: V)
    let logCopyWeight = logSigmoid(gate)
    var maximum = logSigmoid(-gate) + generate[target] - generateNormalizer[0]
    var sum: Float = 1
    for s in 0..<visible where sources[s] == target {
        let term = logCopyWeight + logAlpha[s]
        if term > maximum {
            sum = sum * expf(maximum - term) + 1
            maximum = term
        } else {
            sum += expf(term - maximum)
        }
    }
    return maximum + logf(sum)
}

/// The gradients of one row (b, t) given its caches; dKey is the sequence's (S, D) slice.
// Safe: the forward's row slices; dKey is the sequence's (S, D) block, written only by its sequence's chunk.
@inline(__always)
func causalCopyGenerateRowBackward(
    dQuery: UnsafeMutablePointer<Float>?, dKey: UnsafeMutablePointer<Float>?, dGate: UnsafeMutablePointer<Float>?,
    dGenerate: UnsafeMutablePointer<Float>?, dOut: Float, out: Float,
    logAlpha: UnsafePointer<Float>, generateNormalizer: Float,
    query: UnsafePointer<Float>, key: UnsafePointer<Float>, gate: Float, generate: UnsafePointer<Float>,
    sources: UnsafePointer<Int>, visible: Int, target: Int, D: Int, V: Int
) {
    let scale = 1 / Float(D).squareRoot()
    let logCopyWeight = logSigmoid(gate)
    let rGenerate = expf(logSigmoid(-gate) + generate[target] - generateNormalizer - out)
    var copyShare: Float = 0
    for s in 0..<visible where sources[s] == target {
        copyShare += expf(logCopyWeight + logAlpha[s] - out)
    }
    dGate?[0] += dOut * (copyShare - 1 / (1 + expf(-gate)))
    if let dGenerate {
        for v in 0..<V {
            let p = expf(generate[v] - generateNormalizer)
            dGenerate[v] += dOut * rGenerate * ((v == target ? 1 : 0) - p)
        }
    }
    guard copyShare > 0, dQuery != nil || dKey != nil else { return }
    for s in 0..<visible {
        let alpha = expf(logAlpha[s])
        let r = sources[s] == target ? expf(logCopyWeight + logAlpha[s] - out) : 0
        let dLogit = dOut * (r - copyShare * alpha) * scale
        if let dQuery { axpy(dQuery, dLogit, key + s * D, D) }
        if let dKey { axpy(dKey + s * D, dLogit, query, D) }
    }
}

extension Tensor {
    /// The transcript model's output head: log P(target) under a gated mixture of a causal copy
    /// distribution over the source tokens and a generate distribution, in log space (see the
    /// file header).
    ///
    /// - Parameters:
    ///   - copyQuery: (B, T, D) copy queries.
    ///   - copyKey: (B, S, D) copy keys, S ≥ T; query t sees keys `0...t + S − T`.
    ///   - gate: (B, T, 1) logits of the copy weight σ(gate).
    ///   - generate: (B, T, V) logits of the generate distribution.
    ///   - sources: (B, S) token ids at the key positions.
    ///   - targets: (B, T) token ids.
    /// - Returns: (B, T) log-likelihoods.
    /// - Precondition: shapes agree (S ≥ T) and every token id is in `0..<V`.
    public static func causalCopyGenerateLogLikelihood(
        copyQuery: Tensor, copyKey: Tensor, gate: Tensor, generate: Tensor, sources: [Int], targets: [Int]
    ) -> Tensor {
        let s = CausalCopyGenerateShape(
            copyQuery: copyQuery, copyKey: copyKey, gate: gate, generate: generate, sourceCount: sources.count)
        let (B, T, S, D, V) = (s.B, s.T, s.S, s.D, s.V)
        precondition(targets.count == B * T, "causalCopyGenerate: \(targets.count) targets for (\(B), \(T))")
        precondition(
            sources.allSatisfy { 0 <= $0 && $0 < V } && targets.allSatisfy { 0 <= $0 && $0 < V },
            "causalCopyGenerate: token id out of range 0..<\(V)")
        let table = TokenTable(facts: sources, targets: targets, factLength: 1)
        let out = Tensor(uninitializedShape: [B, T])
        let logAlpha = Tensor(uninitializedShape: [B, T, S])
        let normalizer = Tensor(uninitializedShape: [B, T])
        // Safe: rows own disjoint slices of out, logAlpha and normalizer.
        parallelChunks(B * T, grain: 16) { rows in
            for row in rows {
                let (b, t) = (row / T, row % T)
                out.storage[row] = causalCopyGenerateRowForward(
                    logAlpha: logAlpha.storage + row * S, generateNormalizer: normalizer.storage + row,
                    query: copyQuery.storage + row * D, key: copyKey.storage + b * S * D, gate: gate.storage[row],
                    generate: generate.storage + row * V, sources: table.facts + b * S, visible: t + S - T + 1,
                    target: table.targets[row], S: S, D: D, V: V)
            }
        }
        out.record(copyQuery, copyKey, gate, generate) { out in
            let dQuery = copyQuery.requiresGradient ? copyQuery.gradientPointer() : nil
            let dKey = copyKey.requiresGradient ? copyKey.gradientPointer() : nil
            let dGate = gate.requiresGradient ? gate.gradientPointer() : nil
            let dGenerate = generate.requiresGradient ? generate.gradientPointer() : nil
            let dOut = out.gradientPointer()
            // Split by sequence: dKey of sequence b receives every row of b.
            // Safe: a chunk owns whole sequences: their rows of dQuery, dGate, dGenerate and their (S, D) block of dKey.
            parallelChunks(B, grain: 2) { sequences in
                for b in sequences {
                    for t in 0..<T {
                        let row = b * T + t
                        causalCopyGenerateRowBackward(
                            dQuery: dQuery.map { $0 + row * D }, dKey: dKey.map { $0 + b * S * D },
                            dGate: dGate.map { $0 + row }, dGenerate: dGenerate.map { $0 + row * V },
                            dOut: dOut[row], out: out.storage[row], logAlpha: logAlpha.storage + row * S,
                            generateNormalizer: normalizer.storage[row], query: copyQuery.storage + row * D,
                            key: copyKey.storage + b * S * D, gate: gate.storage[row],
                            generate: generate.storage + row * V, sources: table.facts + b * S,
                            visible: t + S - T + 1, target: table.targets[row], D: D, V: V)
                    }
                }
            }
        }
        return out
    }

    /// The full output distribution of the head, log P(v) for every token v (inference only: it
    /// records nothing). Inputs as in
    /// ``causalCopyGenerateLogLikelihood(copyQuery:copyKey:gate:generate:sources:targets:)``.
    ///
    /// - Returns: (B, T, V) log-probabilities, row-major.
    public static func causalCopyGenerateLogProbabilities(
        copyQuery: Tensor, copyKey: Tensor, gate: Tensor, generate: Tensor, sources: [Int]
    ) -> [Float] {
        let s = CausalCopyGenerateShape(
            copyQuery: copyQuery, copyKey: copyKey, gate: gate, generate: generate, sourceCount: sources.count)
        let (B, T, S, D, V) = (s.B, s.T, s.S, s.D, s.V)
        precondition(sources.allSatisfy { 0 <= $0 && $0 < V }, "causalCopyGenerate: source token id out of range 0..<\(V)")
        var result = [Float](repeating: 0, count: B * T * V)
        // Safe: scratch of S entries for one row, freed by the defer; sources are checked in 0..<V above.
        let logAlpha = UnsafeMutablePointer<Float>.allocate(capacity: max(1, S))
        defer { logAlpha.deallocate() }
        var normalizer: Float = 0
        sources.withUnsafeBufferPointer { sourceBuffer in
            guard let sourceBase = sourceBuffer.baseAddress else { return }
            for row in 0..<(B * T) {
                let (b, t) = (row / T, row % T)
                let visible = t + S - T + 1
                let gateValue = gate.storage[row]
                // Target 0 only fills the caches; the distribution is assembled below.
                _ = causalCopyGenerateRowForward(
                    logAlpha: logAlpha, generateNormalizer: &normalizer, query: copyQuery.storage + row * D,
                    key: copyKey.storage + b * S * D, gate: gateValue, generate: generate.storage + row * V,
                    sources: sourceBase + b * S, visible: visible, target: 0, S: S, D: D, V: V)
                let logGenerateWeight = logSigmoid(-gateValue)
                for v in 0..<V {
                    result[row * V + v] = logGenerateWeight + generate.storage[row * V + v] - normalizer
                }
                let logCopyWeight = logSigmoid(gateValue)
                for position in 0..<visible {
                    let v = sourceBase[b * S + position]
                    let term = logCopyWeight + logAlpha[position]
                    let current = result[row * V + v]
                    let high = max(current, term)
                    result[row * V + v] = high + logf(expf(current - high) + expf(term - high))
                }
            }
        }
        return result
    }
}
