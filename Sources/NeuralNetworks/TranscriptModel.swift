import SeededRandom
import TensorCore

/// H′, the transcript model (reference §4.3): a causal Transformer over a transcript that
/// predicts the expert's next token, copying from earlier positions or generating.
///
/// Input: the start token 0, then the transcript (``TranscriptLayout``) as far as its first null
/// sub-question, then the last position before its main answer and the answer
/// (``TranscriptReading``): the padding rounds in between are implied by the null question, so
/// the model neither reads nor predicts them. Each token embeds as word + token type + learned
/// absolute position (its place in the full layout), then `layerCount` post-LN causal
/// self-attention cells. The output at a token is a distribution over the next token read: a copy
/// distribution (attention with its own query and key projections over positions ≤ p, mixing
/// their tokens) and a generate distribution (MLP d → d → V), mixed by a scalar gate σ(s) with
/// s from an MLP d → d → 1, in log space (`Tensor.causalCopyGenerateLogLikelihood`). It never
/// sees the facts. No dropout: demonstrations are cheap to regenerate, and inference must
/// equal training's forward for the cached-decoding law.
///
/// ```swift
/// var rng = SplitMix64(seed: 1)
/// let model = TranscriptModel(layout: layout, configuration: .tiny, rng: &rng)
/// let tape = Tape()
/// let loss = tape.recording { model.loss(transcripts: batch) }   // ½(subQ mean + mainA mean)
/// tape.backward(loss)
/// ```
public final class TranscriptModel: Module {
    public let layout: TranscriptLayout
    public let configuration: TranscriptModelConfiguration
    let tokens: Embedding
    let kinds: Embedding
    let positions: Embedding
    let cells: [TransformerCell]
    let copyQuery: Linear
    let copyKey: Linear
    let gateHidden: Linear
    let gate: Linear
    let generateHidden: Linear
    let generate: Linear

    /// - Precondition: the layout and configuration are valid (``TranscriptLayout``,
    ///   ``TranscriptModelConfiguration``).
    public init(layout: TranscriptLayout, configuration: TranscriptModelConfiguration, rng: inout SplitMix64) {
        layout.validate()
        configuration.validate()
        self.layout = layout
        self.configuration = configuration
        let d = configuration.modelDimension
        tokens = Embedding(vocabularySize: layout.vocabularySize, dimension: d, rng: &rng)
        kinds = Embedding(vocabularySize: TranscriptTokenKind.allCases.count, dimension: d, rng: &rng)
        positions = Embedding(vocabularySize: layout.transcriptLength + 1, dimension: d, rng: &rng)
        cells = (0..<configuration.layerCount).map { _ in
            TransformerCell(
                dimension: d, headCount: configuration.headCount,
                feedForwardMultiplier: configuration.feedForwardMultiplier, rng: &rng)
        }
        copyQuery = Linear(inputCount: d, outputCount: d, rng: &rng)
        copyKey = Linear(inputCount: d, outputCount: d, rng: &rng)
        gateHidden = Linear(inputCount: d, outputCount: d, rng: &rng)
        gate = Linear(inputCount: d, outputCount: 1, rng: &rng)
        generateHidden = Linear(inputCount: d, outputCount: d, rng: &rng)
        generate = Linear(inputCount: d, outputCount: layout.vocabularySize, rng: &rng)
    }

    /// A second model that reads and writes this one's weights (``Tensor/shareValues(with:)``)
    /// but accumulates its own gradients: one per shard of a data-parallel training step.
    public func replica() -> TranscriptModel {
        var unused = SplitMix64(seed: 0)  // the fresh weights are replaced at once
        return sharingWeights(into: TranscriptModel(layout: layout, configuration: configuration, rng: &unused))
    }

    public func parameters() -> [NamedParameter] {
        var all = tokens.parameters(prefix: "tokens") + kinds.parameters(prefix: "kinds")
            + positions.parameters(prefix: "positions")
        for (index, cell) in cells.enumerated() { all += cell.parameters(prefix: "cells.\(index)") }
        return all + copyQuery.parameters(prefix: "copyQuery") + copyKey.parameters(prefix: "copyKey")
            + gateHidden.parameters(prefix: "gateHidden") + gate.parameters(prefix: "gate")
            + generateHidden.parameters(prefix: "generateHidden") + generate.parameters(prefix: "generate")
    }

    /// The embedded input: word + type + position for `inputs` (B, T) at sequence positions
    /// `positions` (B, T). Returns (B, T, d).
    func embed(_ inputs: [Int], positions positionIDs: [Int], batch: Int, length: Int) -> Tensor {
        let kindIDs = positionIDs.map { layout.kind(atSequencePosition: $0).rawValue }
        return tokens(inputs, shape: [batch, length]) + kinds(kindIDs, shape: [batch, length])
            + positions(positionIDs, shape: [batch, length])
    }

    /// One post-LN causal cell on x (B, T, d). With a `cache` (keys and values (B, S, d)), x's
    /// positions follow the cache's first `cached`: x's own keys and values are written into it
    /// at `cached ..< cached + T`, in place, and x attends to all `cached + T` (inference only:
    /// the cache is not recorded).
    func cell(_ index: Int, _ x: Tensor, cache: (keys: Tensor, values: Tensor, cached: Int)? = nil) -> Tensor {
        let cell = cells[index]
        let attention = cell.attention
        var keys = attention.key(x)
        var values = attention.value(x)
        var keyLength: Int?
        if let cache {
            cache.keys.write(keys, at: cache.cached, axis: 1)
            cache.values.write(values, at: cache.cached, axis: 1)
            (keys, values, keyLength) = (cache.keys, cache.values, cache.cached + x.shape[1])
        }
        let attended = Tensor.attention(
            query: attention.query(x), key: keys, value: values, keyLength: keyLength, heads: attention.headCount,
            causal: true)
        let y = cell.attentionNorm(x + attention.output(attended))
        return cell.feedForwardNorm(y + cell.feedForward(y))
    }

    /// The head's inputs from the final states h (B, T, d).
    func head(_ h: Tensor) -> (query: Tensor, key: Tensor, gate: Tensor, generate: Tensor) {
        (copyQuery(h), copyKey(h), gate(gateHidden(h).relu()), generate(generateHidden(h).relu()))
    }

    /// Full forward over `reading`'s inputs; returns the head's inputs.
    func forward(_ reading: TranscriptReading) -> (query: Tensor, key: Tensor, gate: Tensor, generate: Tensor) {
        var x = embed(reading.inputs, positions: reading.positions, batch: reading.batch, length: reading.length)
        for index in cells.indices { x = cell(index, x) }
        return head(x)
    }

    /// log P(target | earlier inputs) for every target of `reading`: (B, T), padding slots
    /// included (weigh them 0).
    public func logLikelihoods(_ reading: TranscriptReading) -> Tensor {
        let out = forward(reading)
        return Tensor.causalCopyGenerateLogLikelihood(
            copyQuery: out.query, copyKey: out.key, gate: out.gate, generate: out.generate,
            sources: reading.inputs, targets: reading.targets)
    }

    /// The reference's loss: ½(mean NLL over sub-question tokens + mean NLL over main-answer
    /// tokens), averaged over the batch; main-question and sub-answer tokens are inputs only.
    /// With no rounds it is the main-answer mean alone. The means are over the layout's token
    /// counts: the padding rounds' tokens, implied by a null sub-question and never read
    /// (``TranscriptLayout/readPosition(following:in:)``), count as predicted with certainty.
    ///
    /// - Precondition: at least one transcript, each valid for ``TranscriptReading``.
    public func loss(transcripts: [[Int]]) -> Tensor {
        loss(transcripts: transcripts, averagedOver: transcripts.count)
    }

    /// ``loss(transcripts:)`` divided by `batchCount` transcripts instead of their count: one
    /// shard's share of a whole batch's loss (``ShardedGradients``).
    ///
    /// - Precondition: at least one transcript, each valid for ``TranscriptReading``;
    ///   `batchCount ≥ transcripts.count`.
    public func loss(transcripts: [[Int]], averagedOver batchCount: Int) -> Tensor {
        precondition(!transcripts.isEmpty, "TranscriptModel.loss: no transcripts")
        precondition(batchCount >= transcripts.count, "TranscriptModel.loss: \(transcripts.count) transcripts of a batch of \(batchCount)")
        // One pass per read length (a function of the rounds asked), unpadded: read as one batch
        // padded to its longest, 38–41 % of union find's and shortest path's positions were
        // padding, as costly in every matrix product as the positions read.
        let groups = Dictionary(grouping: transcripts.indices) { TranscriptReading.readPositions(of: transcripts[$0], layout: layout).count }
        var total: Tensor?
        for length in groups.keys.sorted() {
            let reading = TranscriptReading(transcripts: groups[length, default: []].map { transcripts[$0] }, layout: layout)
            let part = loss(reading, averagedOver: batchCount)
            total = total.map { $0 + part } ?? part
        }
        return total!
    }

    /// The loss of `reading`'s transcripts, divided by `batchCount`.
    func loss(_ reading: TranscriptReading, averagedOver batchCount: Int) -> Tensor {
        let batch = Float(batchCount)
        let subquestionTokens = Float(layout.interactionLength * layout.questionLength)
        let subquestionWeight = subquestionTokens > 0 ? 0.5 / (batch * subquestionTokens) : 0
        let answerWeight = (subquestionTokens > 0 ? 0.5 : 1) / (batch * Float(layout.answerLength))
        let weights: [Float] = reading.targetPositions.map { position in
            guard position >= 0 else { return 0 }
            switch layout.kind(atSequencePosition: position) {
            case .subquestion: return -subquestionWeight
            case .mainAnswer: return -answerWeight
            case .mainQuestion, .subanswer: return 0
            }
        }
        return (logLikelihoods(reading) * Tensor(shape: [reading.batch, reading.length], scalars: weights)).sum()
    }

    /// The full predicted distribution of every transcript token, without the cache: (B, L, V)
    /// log-probabilities, row-major; row j predicts transcript token j. A padding round's token
    /// after a null sub-question is implied, not predicted: its row gives `?` (0) probability 1.
    public func logProbabilities(transcripts: [[Int]]) -> [Float] {
        Tape.withoutRecording {
            let reading = TranscriptReading(transcripts: transcripts, layout: layout)
            let out = forward(reading)
            let read = Tensor.causalCopyGenerateLogProbabilities(
                copyQuery: out.query, copyKey: out.key, gate: out.gate, generate: out.generate, sources: reading.inputs)
            let v = layout.vocabularySize, length = layout.transcriptLength
            // Every row gives `?` probability 1, as an implied token; the rows read are copied over.
            var all = [Float](repeating: -.infinity, count: transcripts.count * length * v)
            for start in stride(from: 0, to: all.count, by: v) { all[start] = 0 }
            for row in 0..<transcripts.count {
                for slot in 0..<reading.length {
                    let position = reading.targetPositions[row * reading.length + slot]
                    guard position > 0 else { continue }
                    let from = (row * reading.length + slot) * v, to = (row * length + position - 1) * v
                    all.replaceSubrange(to..<(to + v), with: read[from..<(from + v)])
                }
            }
            return all
        }
    }
}

/// Transcripts as the model reads them: each sequence (start token, then the transcript) up to
/// its first null sub-question, then from the last position before the main answer
/// (``TranscriptLayout/readPosition(following:in:)``), padded at the end to the longest. Every
/// array is (B, T) row-major: the input tokens, their sequence positions, the tokens they predict
/// and those tokens' positions (−1 for a padding slot, whose input is 0 at position 0).
public struct TranscriptReading: Sendable, Equatable {
    public let batch: Int
    public let length: Int
    public let inputs: [Int]
    public let positions: [Int]
    public let targets: [Int]
    public let targetPositions: [Int]

    /// - Precondition: at least one transcript; each of ``TranscriptLayout/transcriptLength``
    ///   tokens in the vocabulary, and `?` (0) on every token a null sub-question implies.
    public init(transcripts: [[Int]], layout: TranscriptLayout) {
        precondition(!transcripts.isEmpty, "TranscriptReading: no transcripts")
        // Each row's sequence and the positions it reads; a position's target is at the next.
        let rows = transcripts.map { (sequence: [0] + $0, read: Self.readPositions(of: $0, layout: layout)) }
        let length = rows.map { $0.read.count - 1 }.max() ?? 0
        func padded(_ values: [Int], _ filler: Int) -> [Int] { values + Array(repeating: filler, count: length - values.count) }
        batch = rows.count
        self.length = length
        inputs = rows.flatMap { sequence, read in padded(read.dropLast().map { sequence[$0] }, 0) }
        positions = rows.flatMap { padded(Array($0.read.dropLast()), 0) }
        targets = rows.flatMap { sequence, read in padded(read.dropFirst().map { sequence[$0] }, 0) }
        targetPositions = rows.flatMap { padded(Array($0.read.dropFirst()), -1) }
    }

    /// The sequence positions the model reads of `transcript` (start token at 0), in order, up to
    /// the transcript's last: each input's target is at the next.
    ///
    /// - Precondition: `transcript` has ``TranscriptLayout/transcriptLength`` tokens and `?` (0) on
    ///   every token a null sub-question implies.
    public static func readPositions(of transcript: [Int], layout: TranscriptLayout) -> [Int] {
        let full = layout.transcriptLength
        precondition(
            transcript.count == full, "TranscriptReading: a transcript has \(transcript.count) tokens, the layout needs \(full)")
        let sequence = [0] + transcript
        var read = [0]
        while let position = read.last, position < full {
            let next = layout.readPosition(following: position, in: sequence)
            precondition(
                sequence[(position + 1)..<next].allSatisfy { $0 == 0 },
                "TranscriptReading: a transcript has tokens other than ? after a null sub-question: \(transcript)")
            read.append(next)
        }
        return read
    }
}
