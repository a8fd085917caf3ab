// The answerer's output head, fused: copy-from-facts pointers mixed with a generate head, in log
// space (Documentation/Answerer.md, "Answer decoder").
//
// Dimensions: B instances, Q questions per instance, F facts per instance, L = fact length (one
// copy head per fact word position j), D = copy key/query width, V = vocabulary.
// Forward: the copy logits by one small matrix product per (instance, head); then for each row
// (b, q) with target t:
//   logπ = logSoftmax(mixture[b, q, :])                                   // (L + 1)
//   logα[j, f] = logSoftmax_f(query[b, q, j, :]·key[b, f, j, :] / sqrt(D))  // real facts only
//   terms = {logπ[L] + logSoftmax(generate[b, q, :])[t]}
//         ∪ {logπ[j] + logα[j, f] : facts[b, f, j] == t, fact f real}
//   out[b, q] = logsumexp(terms)                                         // log P(t)
// A fact is padding (masked) when all its tokens are 0. Caches: logπ (B, Q, L+1), logα
// (B, Q, L, F), the generate log-normaliser (B, Q) and out itself.
// Backward: with responsibilities r = exp(term − out) (they sum to 1), R_j = Σ_f r[j, f] and
// R_L = r_gen: dMixture[k] += dOut·(R_k − π_k); dGenerate[v] += dOut·r_gen·([v == t] − p_gen(v));
// dLogit[j, f] = dOut·(r[j, f] − R_j·α[j, f]) per row in parallel (cache: a (B, Q, L, F) scratch
// taken from the tape's pool in the forward), then dQuery/dKey by small matrix products.

import COpenBLAS
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The copy logits of every row and head, by matrix products: for each instance b and head j,
/// logits[b, :, j, :] (Q, F) = query[b, :, j, :] (Q, D) · key[b, :, j, :]ᵀ (D, F) / sqrt(D).
/// Strided views (leading dimension L·D) read the heads in place. Instances are split across cores
/// when OpenBLAS is single-threaded (as in Tensor+Linear.swift); never call inside a parallel loop.
// Safe: chunk c owns instances [c·B/chunks, (c+1)·B/chunks) of logits; strided views stay in (B, ·, L·D).
func copyLogitsForward(
    logits: UnsafeMutablePointer<Float>,  // (B, Q, L, F)
    query: UnsafePointer<Float>,  // (B, Q, L·D)
    key: UnsafePointer<Float>,  // (B, F, L·D)
    B: Int, Q: Int, F: Int, L: Int, D: Int
) {
    let scale = 1 / Float(D).squareRoot()
    let chunks = gemmChunkCount(work: B * L * Q * F * D, limit: B)
    forEachGemmChunk(chunks) { chunk in
        for b in (chunk * B / chunks)..<((chunk + 1) * B / chunks) {
            for j in 0..<L {
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(Q), Int32(F), Int32(D), scale,
                    query + b * Q * L * D + j * D, Int32(L * D), key + b * F * L * D + j * D, Int32(L * D),
                    0, logits + b * Q * L * F + j * F, Int32(L * F))
            }
        }
    }
}

/// The per-row forward: turns the row's copy logits into log α in place, fills the other caches
/// for row (b, q) and returns log P(target).
// Safe: a row's slices: (L + 1), (L, F), (1), (V), (F, L), (F); targets are in 0..<V (op precondition).
@inline(__always)
func copyGenerateRowForward(
    logMixture: UnsafeMutablePointer<Float>,  // (L + 1)
    logAlpha: UnsafeMutablePointer<Float>,  // (L, F): copy logits on entry, log α on return
    generateNormalizer: UnsafeMutablePointer<Float>,  // (1)
    mixture: UnsafePointer<Float>,  // (L + 1)
    generate: UnsafePointer<Float>,  // (V)
    facts: UnsafePointer<Int>,  // (F, L) of instance b
    factIsReal: UnsafePointer<Bool>,  // (F)
    target: Int, F: Int, L: Int, D: Int, V: Int
) -> Float {
    logSoftmaxInPlace(out: logMixture, input: mixture, count: L + 1)
    generateNormalizer[0] = logSumExp(generate, count: V)
    var maximum = logMixture[L] + generate[target] - generateNormalizer[0]
    // First pass: logits and per-head normalisers; second: the mixture terms (online logsumexp).
    var sum: Float = 1
    for j in 0..<L {
        let row = logAlpha + j * F
        for f in 0..<F where !factIsReal[f] { row[f] = -.infinity }
        let normalizer = logSumExp(row, count: F)
        for f in 0..<F { row[f] -= normalizer }
        for f in 0..<F where factIsReal[f] && facts[f * L + j] == target {
            let term = logMixture[j] + row[f]
            if term > maximum {
                sum = sum * fastExp(maximum - term) + 1
                maximum = term
            } else {
                sum += fastExp(term - maximum)
            }
        }
    }
    return maximum + logf(sum)
}

/// Accumulates dMixture and dGenerate of row (b, q) and writes the row's copy-logit gradient
/// dLogits (L, F) (zero for padding facts), which ``copyLogitsBackward`` turns into dQuery/dKey.
// Safe: the same row slices as the forward; each row writes only its own dLogits, dMixture and dGenerate.
@inline(__always)
func copyGenerateRowBackward(
    dLogits: UnsafeMutablePointer<Float>?,  // (L, F), written (not accumulated)
    dMixture: UnsafeMutablePointer<Float>?,  // (L + 1)
    dGenerate: UnsafeMutablePointer<Float>?,  // (V)
    dOut: Float, out: Float,
    logMixture: UnsafePointer<Float>, logAlpha: UnsafePointer<Float>, generateNormalizer: Float,
    generate: UnsafePointer<Float>, facts: UnsafePointer<Int>, factIsReal: UnsafePointer<Bool>,
    target: Int, F: Int, L: Int, V: Int
) {
    let rGenerate = fastExp(logMixture[L] + generate[target] - generateNormalizer - out)
    if let dGenerate {
        for v in 0..<V {
            let p = fastExp(generate[v] - generateNormalizer)
            dGenerate[v] += dOut * rGenerate * ((v == target ? 1 : 0) - p)
        }
    }
    for j in 0..<L {
        let row = logAlpha + j * F
        var headResponsibility: Float = 0
        for f in 0..<F where factIsReal[f] && facts[f * L + j] == target {
            headResponsibility += fastExp(logMixture[j] + row[f] - out)
        }
        dMixture?[j] += dOut * (headResponsibility - fastExp(logMixture[j]))
        guard let dLogits else { continue }
        let dRow = dLogits + j * F
        for f in 0..<F {
            guard factIsReal[f], headResponsibility > 0 else {
                dRow[f] = 0
                continue
            }
            let r = facts[f * L + j] == target ? fastExp(logMixture[j] + row[f] - out) : 0
            dRow[f] = dOut * (r - headResponsibility * fastExp(row[f]))
        }
    }
    dMixture?[L] += dOut * (rGenerate - fastExp(logMixture[L]))
}

/// The backward of ``copyLogitsForward``: per instance b and head j,
/// dQuery_j (Q, D) += dLogits_j (Q, F) · key_j (F, D) / sqrt(D) and
/// dKey_j (F, D) += dLogits_jᵀ (F, Q) · query_j (Q, D) / sqrt(D). Split by instance like the
/// forward; never call inside a parallel loop.
// Safe: chunk c owns instances c of dQuery and dKey (aliasing them keeps the same owner).
func copyLogitsBackward(
    dQuery: UnsafeMutablePointer<Float>?,  // (B, Q, L·D)
    dKey: UnsafeMutablePointer<Float>?,  // (B, F, L·D)
    dLogits: UnsafePointer<Float>,  // (B, Q, L, F)
    query: UnsafePointer<Float>, key: UnsafePointer<Float>,
    B: Int, Q: Int, F: Int, L: Int, D: Int
) {
    let scale = 1 / Float(D).squareRoot()
    let (ld, ldLogits) = (Int32(L * D), Int32(L * F))
    let chunks = gemmChunkCount(work: 2 * B * L * Q * F * D, limit: B)
    forEachGemmChunk(chunks) { chunk in
        for b in (chunk * B / chunks)..<((chunk + 1) * B / chunks) {
            for j in 0..<L {
                let logits = dLogits + b * Q * L * F + j * F
                let queryOffset = b * Q * L * D + j * D, keyOffset = b * F * L * D + j * D
                if let dQuery {
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(Q), Int32(D), Int32(F), scale,
                        logits, ldLogits, key + keyOffset, ld, 1, dQuery + queryOffset, ld)
                }
                if let dKey {
                    cblas_sgemm(
                        CblasRowMajor, CblasTrans, CblasNoTrans, Int32(F), Int32(D), Int32(Q), scale,
                        logits, ldLogits, query + queryOffset, ld, 1, dKey + keyOffset, ld)
                }
            }
        }
    }
}

/// log Σ exp(x) over `count` values; −∞ when every value is −∞.
// Safe: callers pass rows of `count` elements.
@inline(__always)
func logSumExp(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var maximum = -Float.infinity
    for i in 0..<count where x[i] > maximum { maximum = x[i] }
    guard maximum > -.infinity else { return -.infinity }
    var sum: Float = 0
    for i in 0..<count { sum += fastExp(x[i] - maximum) }
    return maximum + logf(sum)
}

// Safe: callers pass rows of `count` elements; out may equal input.
@inline(__always)
func logSoftmaxInPlace(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int) {
    let normalizer = logSumExp(input, count: count)
    for i in 0..<count { out[i] = input[i] - normalizer }
}

/// The shapes of a copy-generate head call, checked once.
struct CopyGenerateShape {
    let B: Int, Q: Int, F: Int, L: Int, D: Int, V: Int

    init(copyQuery: Tensor, copyKey: Tensor, mixture: Tensor, generate: Tensor, factCount: Int) {
        precondition(
            mixture.rank == 3 && generate.rank == 3 && copyQuery.rank == 3 && copyKey.rank == 3,
            "copyGenerate: inputs must be rank 3, got \(copyQuery.shape), \(copyKey.shape), \(mixture.shape), \(generate.shape)")
        B = mixture.shape[0]
        Q = mixture.shape[1]
        L = mixture.shape[2] - 1
        F = copyKey.shape[1]
        V = generate.shape[2]
        precondition(L >= 1, "copyGenerate: mixture needs fact length + 1 ≥ 2 entries, got \(mixture.shape)")
        D = copyQuery.shape[2] / L
        precondition(
            copyQuery.shape == [B, Q, L * D] && copyKey.shape == [B, F, L * D] && generate.shape == [B, Q, V]
                && D > 0 && F == factCount,
            "copyGenerate: shapes disagree, query \(copyQuery.shape), key \(copyKey.shape), mixture \(mixture.shape), generate \(generate.shape), \(factCount) facts")
    }
}

extension Tensor {
    /// The answerer's output head: log P(target) under the mixture of one copy-from-facts head per
    /// fact word position and a generate head, computed in log space (see the file header).
    ///
    /// For example, `-(logLikelihood * weights).sum()` is a masked negative log-likelihood.
    ///
    /// - Parameters:
    ///   - copyQuery: (B, Q, L·D), the L copy queries of each question.
    ///   - copyKey: (B, F, L·D), the L copy keys of each fact.
    ///   - mixture: (B, Q, L + 1) logits of the mixture weights; the last is the generate head's.
    ///   - generate: (B, Q, V) logits of the generate head.
    ///   - facts: (B, F, L) token ids, row-major; an all-zero fact is padding and never copied.
    ///   - targets: (B, Q) token ids.
    /// - Returns: (B, Q) log-likelihoods.
    /// - Precondition: shapes agree and every token id is in `0..<V`.
    public static func copyGenerateLogLikelihood(
        copyQuery: Tensor, copyKey: Tensor, mixture: Tensor, generate: Tensor, facts: [Int], targets: [Int]
    ) -> Tensor {
        let s = CopyGenerateShape(
            copyQuery: copyQuery, copyKey: copyKey, mixture: mixture, generate: generate,
            factCount: facts.count / max(1, mixture.shape[0] * (mixture.shape[2] - 1)))
        precondition(facts.count == s.B * s.F * s.L, "copyGenerate: \(facts.count) fact tokens for (\(s.B), \(s.F), \(s.L))")
        precondition(targets.count == s.B * s.Q, "copyGenerate: \(targets.count) targets for (\(s.B), \(s.Q))")
        precondition(
            facts.allSatisfy { 0 <= $0 && $0 < s.V } && targets.allSatisfy { 0 <= $0 && $0 < s.V },
            "copyGenerate: token id out of range 0..<\(s.V)")
        let table = TokenTable(facts: facts, targets: targets, factLength: s.L)
        let out = Tensor(uninitializedShape: [s.B, s.Q])  // (B, Q)
        let logMixture = Tensor(uninitializedShape: [s.B, s.Q, s.L + 1])  // (B, Q, L+1)
        let logAlpha = Tensor(uninitializedShape: [s.B, s.Q, s.L, s.F])  // (B, Q, L, F)
        let normalizer = Tensor(uninitializedShape: [s.B, s.Q])  // (B, Q)
        // Scratch for the backward's copy-logit gradient, from the tape's pool when recording.
        let dLogits = Tape.current == nil ? nil : Tensor(uninitializedShape: [s.B, s.Q, s.L, s.F])  // (B, Q, L, F)
        let (B, Q, F, L, D, V) = (s.B, s.Q, s.F, s.L, s.D, s.V)
        copyLogitsForward(logits: logAlpha.storage, query: copyQuery.storage, key: copyKey.storage, B: B, Q: Q, F: F, L: L, D: D)
        // Safe: rows own disjoint slices of out, logMixture, logAlpha and normalizer; the rest is read-only.
        parallelChunks(B * Q, grain: 8) { rows in
            for row in rows {
                let b = row / Q
                out.storage[row] = copyGenerateRowForward(
                    logMixture: logMixture.storage + row * (L + 1), logAlpha: logAlpha.storage + row * L * F,
                    generateNormalizer: normalizer.storage + row, mixture: mixture.storage + row * (L + 1),
                    generate: generate.storage + row * V, facts: table.facts + b * F * L,
                    factIsReal: table.factIsReal + b * F, target: table.targets[row], F: F, L: L, D: D, V: V)
            }
        }
        out.record(copyQuery, copyKey, mixture, generate) { out in
            let dQuery = copyQuery.requiresGradient ? copyQuery.gradientPointer() : nil
            let dKey = copyKey.requiresGradient ? copyKey.gradientPointer() : nil
            let dMixture = mixture.requiresGradient ? mixture.gradientPointer() : nil
            let dGenerate = generate.requiresGradient ? generate.gradientPointer() : nil
            let dOut = out.gradientPointer()
            let needsLogits = dQuery != nil || dKey != nil
            // Safe: rows own disjoint slices of dLogits, dMixture and dGenerate; dQuery and dKey are written after.
            parallelChunks(B * Q, grain: 8) { rows in
                for row in rows {
                    let b = row / Q
                    copyGenerateRowBackward(
                        dLogits: needsLogits ? dLogits.map { $0.storage + row * L * F } : nil,
                        dMixture: dMixture.map { $0 + row * (L + 1) }, dGenerate: dGenerate.map { $0 + row * V },
                        dOut: dOut[row], out: out.storage[row],
                        logMixture: logMixture.storage + row * (L + 1), logAlpha: logAlpha.storage + row * L * F,
                        generateNormalizer: normalizer.storage[row], generate: generate.storage + row * V,
                        facts: table.facts + b * F * L, factIsReal: table.factIsReal + b * F,
                        target: table.targets[row], F: F, L: L, V: V)
                }
            }
            if needsLogits, let dLogits {
                copyLogitsBackward(
                    dQuery: dQuery, dKey: dKey, dLogits: dLogits.storage, query: copyQuery.storage, key: copyKey.storage,
                    B: B, Q: Q, F: F, L: L, D: D)
            }
        }
        return out
    }
}

/// Token ids copied into owned memory for the kernels (and kept alive by the backward step).
// Safe: holds copies of checked tokens: facts (B, F, L), targets (B, Q), factIsReal (B, F); freed in deinit.
final class TokenTable {
    let facts: UnsafeMutablePointer<Int>  // (B, F, L)
    let targets: UnsafeMutablePointer<Int>  // (B, Q)
    let factIsReal: UnsafeMutablePointer<Bool>  // (B, F): some token is not 0
    private let factCount: Int, targetCount: Int

    init(facts: [Int], targets: [Int], factLength: Int) {
        factCount = facts.count
        targetCount = targets.count
        self.facts = .allocate(capacity: max(1, facts.count))
        self.targets = .allocate(capacity: max(1, targets.count))
        let rows = facts.count / max(1, factLength)
        factIsReal = .allocate(capacity: max(1, rows))
        for (index, token) in facts.enumerated() { self.facts[index] = token }
        for (index, token) in targets.enumerated() { self.targets[index] = token }
        for row in 0..<rows {
            factIsReal[row] = (0..<factLength).contains { facts[row * factLength + $0] != 0 }
        }
    }

    deinit {
        facts.deallocate()
        targets.deallocate()
        factIsReal.deallocate()
    }
}

extension Tensor {
    /// The answerer's full output distribution, log P(v) for every token v (inference only: it
    /// records nothing). Inputs as in ``copyGenerateLogLikelihood(copyQuery:copyKey:mixture:generate:facts:targets:)``.
    ///
    /// - Returns: (B, Q, V) log-probabilities, row-major.
    public static func copyGenerateLogProbabilities(
        copyQuery: Tensor, copyKey: Tensor, mixture: Tensor, generate: Tensor, facts: [Int]
    ) -> [Float] {
        let s = CopyGenerateShape(
            copyQuery: copyQuery, copyKey: copyKey, mixture: mixture, generate: generate,
            factCount: facts.count / max(1, mixture.shape[0] * (mixture.shape[2] - 1)))
        precondition(facts.count == s.B * s.F * s.L, "copyGenerate: \(facts.count) fact tokens for (\(s.B), \(s.F), \(s.L))")
        precondition(facts.allSatisfy { 0 <= $0 && $0 < s.V }, "copyGenerate: fact token id out of range 0..<\(s.V)")
        let (B, Q, F, L, D, V) = (s.B, s.Q, s.F, s.L, s.D, s.V)
        let table = TokenTable(facts: facts, targets: [], factLength: L)
        var result = [Float](repeating: 0, count: B * Q * V)
        // Safe: scratch for one row (L + 1) and all copy logits (B, Q, L, F), freed by the defer below.
        let logMixture = UnsafeMutablePointer<Float>.allocate(capacity: L + 1)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: max(1, B * Q * L * F))  // (B, Q, L, F)
        copyLogitsForward(logits: logits, query: copyQuery.storage, key: copyKey.storage, B: B, Q: Q, F: F, L: L, D: D)
        defer {
            logMixture.deallocate()
            logits.deallocate()
        }
        var normalizer: Float = 0
        for row in 0..<(B * Q) {
            let b = row / Q
            let logAlpha = logits + row * L * F
            // target 0 only fills the caches; the distribution is assembled below.
            _ = copyGenerateRowForward(
                logMixture: logMixture, logAlpha: logAlpha, generateNormalizer: &normalizer,
                mixture: mixture.storage + row * (L + 1), generate: generate.storage + row * V,
                facts: table.facts + b * F * L, factIsReal: table.factIsReal + b * F, target: 0,
                F: F, L: L, D: D, V: V)
            for v in 0..<V {
                result[row * V + v] = logMixture[L] + generate.storage[row * V + v] - normalizer
            }
            for j in 0..<L {
                for f in 0..<F where table.factIsReal[b * F + f] {
                    let v = table.facts[(b * F + f) * L + j]
                    let term = logMixture[j] + logAlpha[j * F + f]
                    let current = result[row * V + v]
                    let high = max(current, term)
                    result[row * V + v] = high + logf(expf(current - high) + expf(term - high))
                }
            }
        }
        return result
    }
}
