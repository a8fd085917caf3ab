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
/// cache, so a token costs O(T), not a recomputation of the whole sequence. The cells' caches
/// are (B, S, d) for the transcript's S positions, filled in place: a token writes its own keys
/// and values and copies nothing that came before. Sequences are read as the model reads
/// transcripts (``TranscriptLayout/readPosition(following:in:)``): after a null sub-question the
/// next position is the last before the main answer. The distributions it gives equal the full
/// forward's (tested). Inference only: it records nothing.
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
    /// Every cell's keys and values, (B, S, d), filled to `length`.
    private let keys: [Tensor]
    private let values: [Tensor]
    /// The copy head's keys, (B, length, d): the head reads them whole.
    private var copyKeys: Tensor

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
        (keys, values) = Self.emptyCaches(model, batch: prefixes.count)
        copyKeys = Tensor.unfilled(shape: [prefixes.count, 0, model.configuration.modelDimension])
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
        let d = model.configuration.modelDimension
        let cacheLength = model.layout.transcriptLength
        precondition(
            rows.allSatisfy { row in
                row.source.keys.count == model.cells.count
                    && (row.source.keys + row.source.values).allSatisfy({ $0.shape[1] == cacheLength && $0.shape[2] == d })
                    && row.source.copyKeys.shape.last == d
            },
            "TranscriptDecoder: rows cached by a model of another shape than \(model.configuration)")
        self.model = model
        self.batch = rows.count
        self.length = length
        self.sequences = rows.map(\.tokens)
        self.nextPositions = rows.map(\.nextPosition)
        (keys, values) = Self.emptyCaches(model, batch: rows.count)
        // Each row's filled (T, d) slices copied into its place in the new (B, ·, d) tensors.
        func gather(_ destination: Tensor, _ source: (CachedRows) -> Tensor) {
            destination.withUnsafeMutableBuffer { all in
                let to = all.count / rows.count
                for (b, row) in rows.enumerated() {
                    let tensor = source(row.source)
                    tensor.withUnsafeMutableBuffer { from in
                        let stride = from.count / tensor.shape[0]
                        // Safe: both ranges hold length · d floats inside their buffers (shapes checked above).
                        (all.baseAddress! + b * to).update(from: from.baseAddress! + row.index * stride, count: length * d)
                    }
                }
            }
        }
        for layer in model.cells.indices {
            gather(keys[layer]) { $0.keys[layer] }
            gather(values[layer]) { $0.values[layer] }
        }
        copyKeys = Tensor.unfilled(shape: [rows.count, length, d])
        gather(copyKeys) { $0.copyKeys }
        run(chunk)
    }

    /// Unfilled (B, S, d) keys and values for every cell, S the transcript's length: a position
    /// is written before anything reads it.
    private static func emptyCaches(_ model: TranscriptModel, batch: Int) -> (keys: [Tensor], values: [Tensor]) {
        let shape = [batch, model.layout.transcriptLength, model.configuration.modelDimension]
        return (model.cells.map { _ in Tensor.unfilled(shape: shape) }, model.cells.map { _ in Tensor.unfilled(shape: shape) })
    }

    /// Every sequence's cache as it stands, for ``init(model:resuming:appending:)`` to go on
    /// with. Nothing is copied: the rows share this decoder's caches, whose filled positions
    /// later tokens never overwrite.
    public func cachedRows() -> [TranscriptDecoderRow] {
        let source = CachedRows(keys: keys, values: values, copyKeys: copyKeys)
        return (0..<batch).map { row in
            TranscriptDecoderRow(tokens: sequences[row], nextPosition: nextPositions[row], source: source, index: row)
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
            for index in model.cells.indices {
                x = model.cell(index, x, cache: (keys[index], values[index], length))
            }
            // Every position's copy key is kept; only the last position's distribution is needed.
            let lastHead = model.head(width == 1 ? x : x.slice(axis: 1, range: (width - 1)..<width))
            let newKeys = width == 1 ? lastHead.key : model.copyKey(x)
            copyKeys = length == 0 ? newKeys : Tensor.concatenate([copyKeys, newKeys], axis: 1)
            length += width
            nextLogProbabilities = Tensor.causalCopyGenerateLogProbabilities(
                copyQuery: lastHead.query, copyKey: copyKeys, gate: lastHead.gate,
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

/// One sequence of a ``TranscriptDecoder``, for another decoder to go on with: its tokens, and
/// where its cached keys and values are. Only a decoder of the model that cached it may resume it.
public struct TranscriptDecoderRow: Sendable {
    public let tokens: [Int]
    /// The sequence position of the row's next token.
    let nextPosition: Int
    /// The caches of the decoder it was cut from, and its row in them.
    let source: CachedRows
    let index: Int

    /// The floats it keeps alive (its share of its decoder's caches), for bounding a store of rows.
    public var floatCount: Int { source.floatsPerRow }
}

/// A decoder's caches as they stood when its rows were taken: every cell's keys and values
/// (B, S, d) and the copy head's keys (B, T, d).
// Safe: the tensors are only read; the decoder that fills the cells' caches writes only
// positions at or beyond the rows' length, which no row reads.
final class CachedRows: @unchecked Sendable {
    let keys: [Tensor]
    let values: [Tensor]
    let copyKeys: Tensor
    let floatsPerRow: Int

    init(keys: [Tensor], values: [Tensor], copyKeys: Tensor) {
        self.keys = keys
        self.values = values
        self.copyKeys = copyKeys
        floatsPerRow = ((keys + values).reduce(0) { $0 + $1.count } + copyKeys.count) / max(1, copyKeys.shape[0])
    }
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
