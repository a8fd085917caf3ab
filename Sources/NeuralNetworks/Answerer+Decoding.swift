#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeededRandom
import TensorCore

/// How the answerer turns a distribution into a token.
public enum DecodingMode: String, Sendable, Codable, CaseIterable {
    /// The most probable token (ties: the lowest id).
    case greedy
    /// A sample from the distribution, as the paper does for every answer (reference §4.2).
    case sampled
}

extension Answerer {
    /// Answers every question of `batch` autoregressively, encoding each instance's facts once.
    ///
    /// Runs without recording on any tape. `rng` is used only in `.sampled` mode: one draw per
    /// question and answer token, token by token, each token's draws in question order. A large
    /// batch is cut in two halves of instances, decoded side by side on the cores (kernels serial
    /// inside each: one fork/join per call instead of one per op): a question's answer depends
    /// only on its instance and on its own draws, and each half takes its draws from where they
    /// lie in that order (``SplitMix64/advance(by:)``), so the answers are the whole batch's.
    ///
    /// - Returns: (B, Q, answerLength) token ids, row-major.
    public func decode(_ batch: AnswererBatch, mode: DecodingMode, rng: inout SplitMix64) -> [Int] {
        let rows = batch.instanceCount * batch.questionCount
        let draws = Draws(start: rng, rowOffset: 0, rows: rows)
        if mode == .sampled { rng.advance(by: answerHeads.count * rows) }
        guard batch.instanceCount >= 2 * Self.minimumShardInstances else {
            return decodeWhole(batch, mode: mode, draws: draws)
        }
        let half = batch.instanceCount / 2
        let halves = [0..<half, half..<batch.instanceCount]
        var outputs = [[Int]](repeating: [], count: halves.count)
        // Safe: half h writes only results[h] (h < halves.count == outputs.count) with its own
        // activations and generators, reading the weights; Shards.forEach joins before the
        // closure returns.
        outputs.withUnsafeMutableBufferPointer { results in
            Shards.forEach(halves.count) { index in
                let part = halves[index]
                var own = draws
                own.rowOffset = part.lowerBound * batch.questionCount
                results[index] = decodeWhole(batch.instances(part), mode: mode, draws: own)
            }
        }
        return outputs.flatMap { $0 }
    }

    /// Instances below which a batch is not cut in two: a half's passes must outweigh a fork/join.
    static let minimumShardInstances = 4

    /// Where a batch's sampled draws come from: the draw of row r (question, batch-wide) at answer
    /// token t is number `t · rows + r` of the generator `start`.
    struct Draws {
        var start: SplitMix64
        /// The batch-wide row of the first row decoded.
        var rowOffset: Int
        /// Rows in the whole batch.
        var rows: Int

        /// The generator whose next draws are token `token`'s, from the first row decoded on.
        func generator(token: Int) -> SplitMix64 {
            var generator = start
            generator.advance(by: token * rows + rowOffset)
            return generator
        }
    }

    /// ``decode(_:mode:rng:)`` of `batch` on the calling thread, drawing from `draws`.
    func decodeWhole(_ batch: AnswererBatch, mode: DecodingMode, draws: Draws) -> [Int] {
        Tape.withoutRecording {
            let (B, Q, A, V) = (batch.instanceCount, batch.questionCount, dimensions.answerLength, dimensions.vocabularySize)
            let (factStates, questionStates) = encode(batch)
            var answers = [Int](repeating: 0, count: B * Q * A)
            for (token, head) in answerHeads.enumerated() {
                let i = head.position
                let prefix = (0..<(B * Q)).flatMap { row in answers[(row * A)..<(row * A + i)] }  // (B, Q, i)
                let o = head.outputs(input: head.input(questionStates: questionStates, previousTokens: prefix), factStates: factStates)
                let logProbabilities = Tensor.copyGenerateLogProbabilities(
                    copyQuery: o.copyQuery, copyKey: o.copyKey, mixture: o.mixture, generate: o.generate,
                    facts: batch.facts)  // (B, Q, V)
                var generator = draws.generator(token: token)
                for row in 0..<(B * Q) {
                    let distribution = logProbabilities[(row * V)..<((row + 1) * V)]
                    answers[row * A + i] = Answerer.choose(from: distribution, mode: mode, rng: &generator)
                }
            }
            return answers
        }
    }

    /// Nested-array form of ``decode(_:mode:rng:)``: answers[b][q] has answerLength tokens.
    public func decode(facts: [[[Int]]], questions: [[[Int]]], mode: DecodingMode, rng: inout SplitMix64) -> [[[Int]]] {
        let batch = AnswererBatch(facts: facts, questions: questions)
        let flat = decode(batch, mode: mode, rng: &rng)
        let A = dimensions.answerLength
        return (0..<batch.instanceCount).map { b in
            (0..<batch.questionCount).map { q in
                let row = b * batch.questionCount + q
                return Array(flat[(row * A)..<((row + 1) * A)])
            }
        }
    }

    /// argmax, or an inverse-CDF sample, of a log-probability row.
    static func choose(from logProbabilities: ArraySlice<Float>, mode: DecodingMode, rng: inout SplitMix64) -> Int {
        let base = logProbabilities.startIndex
        switch mode {
        case .greedy:
            var best = base
            for index in logProbabilities.indices where logProbabilities[index] > logProbabilities[best] { best = index }
            return best - base
        case .sampled:
            let u = rng.nextUnitFloat()
            var cumulative: Float = 0
            var last = base
            for index in logProbabilities.indices {
                let p = logProbabilities[index].isFinite ? expf(logProbabilities[index]) : 0
                guard p > 0 else { continue }
                cumulative += p
                last = index
                if u < cumulative { return index - base }
            }
            return last - base  // rounding left u above the total: the last possible token
        }
    }
}
