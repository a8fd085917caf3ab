import SeededRandom
import TensorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Incremental decoding of a ``TranscriptModel`` with cached keys and values.
///
/// The decoder runs the prefixes once (the prefill), keeping every cell's keys and values and the
/// copy head's keys; each ``append(_:)`` then runs one new position per sequence against the
/// cache, so a token costs O(T), not a recomputation of the whole sequence. Sequences are read
/// as the model reads transcripts (``TranscriptLayout/readPosition(following:in:)``): after a
/// null sub-question the next position is the last before the main answer. The distributions it
/// gives equal the full forward's (tested). Inference only: it records nothing.
///
/// ```swift
/// let decoder = TranscriptDecoder(model: model, prefixes: [[0, 3, 4, 2]])
/// let first = decoder.nextLogProbabilities    // (B, V) for sequence position 4
/// decoder.append([7])
/// ```
public final class TranscriptDecoder {
    public let model: TranscriptModel
    /// Sequences decoded together.
    public let batch: Int
    /// Tokens held in the cache per sequence (the prefix plus the appended tokens).
    public private(set) var length: Int
    /// The cached tokens, per sequence.
    public private(set) var sequences: [[Int]]
    /// The sequence position of each sequence's next token.
    public private(set) var nextPositions: [Int]
    /// log P(next token) for every sequence: (B, V), row-major.
    public private(set) var nextLogProbabilities: [Float] = []
    private var keys: [Tensor] = []
    private var values: [Tensor] = []
    private var copyKeys: Tensor?

    /// Prefills the cache with `prefixes` (sequence tokens, start token first).
    ///
    /// - Precondition: at least one prefix; all of one length ≥ 1, read within the transcript;
    ///   tokens in the vocabulary.
    public init(model: TranscriptModel, prefixes: [[Int]]) {
        precondition(!prefixes.isEmpty, "TranscriptDecoder: no prefixes")
        let length = prefixes[0].count
        precondition(
            length >= 1 && prefixes.allSatisfy { $0.count == length },
            "TranscriptDecoder: prefixes must share one length ≥ 1, got \(prefixes.map(\.count))")
        self.model = model
        self.batch = prefixes.count
        self.length = 0
        self.sequences = Array(repeating: [], count: prefixes.count)
        self.nextPositions = Array(repeating: 0, count: prefixes.count)
        run(prefixes)
    }

    /// Goes on from `rows` taken from earlier decoders (all of one length), running `chunk` —
    /// each row's next tokens, all of one width — against their caches. A resumed sequence's
    /// distributions are the ones a decoder prefilled with its whole sequence would give, up to
    /// float rounding (tested).
    ///
    /// - Precondition: at least one row; rows of one length and chunks of one width ≥ 1, room for
    ///   them in the transcript, tokens in the vocabulary; rows cached by a decoder of `model`.
    public init(model: TranscriptModel, resuming rows: [TranscriptDecoderRow], appending chunk: [[Int]]) {
        precondition(!rows.isEmpty && rows.count == chunk.count, "TranscriptDecoder: \(rows.count) rows for \(chunk.count) chunks")
        let length = rows[0].tokens.count
        let width = chunk[0].count
        precondition(
            rows.allSatisfy({ $0.tokens.count == length }) && chunk.allSatisfy({ $0.count == width }) && width >= 1,
            "TranscriptDecoder: rows of lengths \(rows.map(\.tokens.count)) cannot resume with chunks \(chunk.map(\.count))")
        let rowFloats = length * model.configuration.modelDimension  // one (T, d) slice
        precondition(
            rows.allSatisfy { row in
                row.keys.count == model.cells.count && row.values.count == model.cells.count
                    && (row.keys + row.values).allSatisfy({ $0.count == rowFloats }) && row.copyKeys.count == rowFloats
            },
            "TranscriptDecoder: rows cached by a model of another shape than \(model.configuration)")
        self.model = model
        self.batch = rows.count
        self.length = length
        self.sequences = rows.map(\.tokens)
        self.nextPositions = rows.map(\.nextPosition)
        // Every row's (T, C) slices stacked into (B, T, C) tensors.
        func stacked(_ slices: [[Float]]) -> Tensor {
            Tensor(shape: [rows.count, length, slices[0].count / length], scalars: slices.flatMap { $0 })
        }
        keys = model.cells.indices.map { layer in stacked(rows.map { $0.keys[layer] }) }
        values = model.cells.indices.map { layer in stacked(rows.map { $0.values[layer] }) }
        copyKeys = stacked(rows.map(\.copyKeys))
        run(chunk)
    }

    /// Every sequence's cache, detached from this decoder: what ``init(model:resuming:appending:)``
    /// needs to go on with it alone.
    public func cachedRows() -> [TranscriptDecoderRow] {
        // (B, T, C) tensors cut into B row-major (T, C) slices, copied once from the tensor's values.
        func rows(_ tensor: Tensor) -> [[Float]] {
            tensor.withUnsafeMutableBuffer { all in
                let width = all.count / batch
                return (0..<batch).map { Array(all[($0 * width)..<(($0 + 1) * width)]) }
            }
        }
        let layerKeys = keys.map(rows), layerValues = values.map(rows)
        let copy = copyKeys.map(rows) ?? Array(repeating: [], count: batch)
        return (0..<batch).map { row in
            TranscriptDecoderRow(
                tokens: sequences[row], nextPosition: nextPositions[row], keys: layerKeys.map { $0[row] },
                values: layerValues.map { $0[row] }, copyKeys: copy[row])
        }
    }

    /// Appends one token per sequence and computes the next distribution.
    ///
    /// - Precondition: one token per sequence, in the vocabulary, and room left in the transcript.
    public func append(_ tokens: [Int]) {
        precondition(tokens.count == batch, "TranscriptDecoder.append: \(tokens.count) tokens for \(batch) sequences")
        run(tokens.map { [$0] })
    }

    /// Runs `chunk` (B rows of equal length) against the cache and appends it.
    private func run(_ chunk: [[Int]]) {
        let layout = model.layout
        var positions: [Int] = []
        positions.reserveCapacity(batch * chunk[0].count)
        for row in 0..<batch {
            for token in chunk[row] {
                let position = nextPositions[row]
                precondition(
                    position < layout.transcriptLength,
                    "TranscriptDecoder: the transcript's \(layout.transcriptLength) input positions are full")
                positions.append(position)
                sequences[row].append(token)
                nextPositions[row] = layout.readPosition(following: position, in: sequences[row])
            }
        }
        Tape.withoutRecording {
            let width = chunk[0].count
            let flat = chunk.flatMap { $0 }
            var x = model.embed(flat, positions: positions, batch: batch, length: width)
            let first = keys.isEmpty
            for index in model.cells.indices {
                let out = model.cell(
                    index, x, pastKeys: first ? nil : keys[index], pastValues: first ? nil : values[index])
                if first {
                    keys.append(out.keys)
                    values.append(out.values)
                } else {
                    keys[index] = out.keys
                    values[index] = out.values
                }
                x = out.state
            }
            // Every position's copy key is kept; only the last position's distribution is needed.
            let lastHead = model.head(width == 1 ? x : x.slice(axis: 1, range: (width - 1)..<width))
            let newKeys = width == 1 ? lastHead.key : model.copyKey(x)
            copyKeys = copyKeys.map { Tensor.concatenate([$0, newKeys], axis: 1) } ?? newKeys
            length += width
            nextLogProbabilities = Tensor.causalCopyGenerateLogProbabilities(
                copyQuery: lastHead.query, copyKey: copyKeys ?? newKeys, gate: lastHead.gate,
                generate: lastHead.generate, sources: sequences.flatMap { $0 })
        }
    }

    /// The most likely next token of each sequence.
    public func greedyTokens() -> [Int] {
        let v = model.layout.vocabularySize
        return (0..<batch).map { row in
            var best = 0
            for token in 1..<v where nextLogProbabilities[row * v + token] > nextLogProbabilities[row * v + best] {
                best = token
            }
            return best
        }
    }

    /// A next token per sequence drawn from its distribution, sequence `i` using `generators[i]`.
    ///
    /// - Precondition: one generator per sequence.
    public func sampledTokens(using generators: inout [SplitMix64]) -> [Int] {
        precondition(generators.count == batch, "TranscriptDecoder: \(generators.count) generators for \(batch) sequences")
        let v = model.layout.vocabularySize
        return (0..<batch).map { row in
            var u = generators[row].nextUnitFloat()
            for token in 0..<v {
                u -= expf(nextLogProbabilities[row * v + token])
                if u < 0 { return token }
            }
            // Rounding left a little mass: take the most likely token.
            return (0..<v).max { nextLogProbabilities[row * v + $0] < nextLogProbabilities[row * v + $1] } ?? 0
        }
    }
}

/// One sequence of a ``TranscriptDecoder``, detached: its tokens and every cell's cached keys and
/// values for them (row-major (T, C)), and the copy head's keys. Only a decoder of the model that
/// cached it may resume it.
public struct TranscriptDecoderRow: Sendable {
    public let tokens: [Int]
    /// The sequence position of the row's next token.
    let nextPosition: Int
    let keys: [[Float]]
    let values: [[Float]]
    let copyKeys: [Float]

    /// The floats it holds, for bounding a store of rows.
    public var floatCount: Int { keys.reduce(0) { $0 + $1.count } + values.reduce(0) { $0 + $1.count } + copyKeys.count }
}

extension TranscriptDecoder {
    /// Continues every sequence by `count` tokens, the most likely at each step, with the
    /// log-probability the model gives each sequence's tokens (their sum: how sure it is of the
    /// whole continuation). Every token but the last is appended to the cache (the last needs no
    /// distribution after it).
    public func greedyGenerate(count: Int) -> (tokens: [[Int]], logProbabilities: [Float]) {
        generate(count: count) { $0.greedyTokens() }
    }

    /// Continues every sequence by `count` tokens sampled from the model, sequence `i` drawing
    /// from `generators[i]` (so a sequence's tokens do not depend on its batch-mates), with their
    /// log-probabilities as ``greedyGenerate(count:)``; every token but the last is appended to
    /// the cache.
    public func sampledGenerate(count: Int, generators: inout [SplitMix64]) -> (tokens: [[Int]], logProbabilities: [Float]) {
        var local = generators
        defer { generators = local }
        return generate(count: count) { $0.sampledTokens(using: &local) }
    }

    private func generate(count: Int, choose: (TranscriptDecoder) -> [Int]) -> (tokens: [[Int]], logProbabilities: [Float]) {
        precondition(count >= 0, "TranscriptDecoder.generate: negative count \(count)")
        let v = model.layout.vocabularySize
        var produced = Array(repeating: [Int](), count: batch)
        var logProbabilities = [Float](repeating: 0, count: batch)
        for step in 0..<count {
            let tokens = choose(self)
            for row in tokens.indices {
                produced[row].append(tokens[row])
                logProbabilities[row] += nextLogProbabilities[row * v + tokens[row]]
            }
            if step + 1 < count { append(tokens) }
        }
        return (produced, logProbabilities)
    }
}

extension TranscriptModel {
    /// Continues each prefix by `count` tokens, taking the most likely token at each step.
    ///
    /// - Precondition: as ``TranscriptDecoder/init(model:prefixes:)``, and room in the transcript
    ///   for the `count − 1` tokens appended (a null sub-question among them moves the next to the
    ///   main answer).
    public func greedyDecode(prefixes: [[Int]], count: Int) -> [[Int]] {
        guard count != 0 else { return prefixes.map { _ in [] } }
        return TranscriptDecoder(model: self, prefixes: prefixes).greedyGenerate(count: count).tokens
    }

    /// Continues each prefix by `count` tokens sampled from the model, prefix `i` drawing from
    /// `generators[i]` (so a sequence's tokens do not depend on its batch-mates).
    public func sampleDecode(prefixes: [[Int]], count: Int, generators: inout [SplitMix64]) -> [[Int]] {
        guard count != 0 else { return prefixes.map { _ in [] } }
        return TranscriptDecoder(model: self, prefixes: prefixes).sampledGenerate(count: count, generators: &generators).tokens
    }
}
