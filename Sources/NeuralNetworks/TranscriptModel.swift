import SeededRandom
import TensorCore

/// H′, the transcript model (reference §4.3): a causal Transformer over a transcript that
/// predicts the expert's next token, copying from earlier positions or generating.
///
/// Input: the start token 0, then the transcript (``TranscriptLayout``). Each position embeds as
/// word + token type + learned absolute position, then `layerCount` post-LN causal self-attention
/// cells. The output at position p is a distribution over the token at p + 1: a copy
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

    /// The embedded input: word + type + position for `inputs` (B, T) starting at sequence
    /// position `start`. Returns (B, T, d).
    func embed(_ inputs: [Int], batch: Int, length: Int, start: Int) -> Tensor {
        let kindIDs = (0..<(batch * length)).map { layout.kind(atSequencePosition: start + $0 % length).rawValue }
        let positionIDs = (0..<(batch * length)).map { start + $0 % length }
        return tokens(inputs, shape: [batch, length]) + kinds(kindIDs, shape: [batch, length])
            + positions(positionIDs, shape: [batch, length])
    }

    /// One post-LN causal cell on x (B, T, d) whose keys and values are `pastKeys`/`pastValues`
    /// (B, S, d) followed by x's own; returns the new state and the full keys and values.
    func cell(
        _ index: Int, _ x: Tensor, pastKeys: Tensor?, pastValues: Tensor?
    ) -> (state: Tensor, keys: Tensor, values: Tensor) {
        let cell = cells[index]
        let attention = cell.attention
        let ownKeys = attention.key(x)
        let ownValues = attention.value(x)
        let keys = pastKeys.map { Tensor.concatenate([$0, ownKeys], axis: 1) } ?? ownKeys
        let values = pastValues.map { Tensor.concatenate([$0, ownValues], axis: 1) } ?? ownValues
        let attended = Tensor.attention(
            query: attention.query(x), key: keys, value: values, heads: attention.headCount, causal: true)
        let y = cell.attentionNorm(x + attention.output(attended))
        return (cell.feedForwardNorm(y + cell.feedForward(y)), keys, values)
    }

    /// The head's inputs from the final states h (B, T, d).
    func head(_ h: Tensor) -> (query: Tensor, key: Tensor, gate: Tensor, generate: Tensor) {
        (copyQuery(h), copyKey(h), gate(gateHidden(h).relu()), generate(generateHidden(h).relu()))
    }

    /// Full forward over whole sequences `inputs` (B, T) from sequence position 0; returns the
    /// head's inputs.
    func forward(_ inputs: [Int], batch: Int, length: Int) -> (query: Tensor, key: Tensor, gate: Tensor, generate: Tensor) {
        precondition(
            inputs.count == batch * length && length <= layout.transcriptLength,
            "TranscriptModel: \(inputs.count) input tokens for (\(batch), \(length)), at most \(layout.transcriptLength) positions")
        var x = embed(inputs, batch: batch, length: length, start: 0)
        for index in cells.indices { x = cell(index, x, pastKeys: nil, pastValues: nil).state }
        return head(x)
    }

    /// The model's inputs for whole transcripts: the start token, then every token but the last.
    func inputs(of transcripts: [[Int]]) -> [Int] {
        let length = layout.transcriptLength
        for (index, transcript) in transcripts.enumerated() {
            precondition(
                transcript.count == length,
                "TranscriptModel: transcript \(index) has \(transcript.count) tokens, the layout needs \(length)")
        }
        return transcripts.flatMap { [0] + $0.dropLast() }
    }

    /// log P(transcript token j | earlier tokens) for every token of every transcript: (B, L).
    ///
    /// - Precondition: every transcript has ``TranscriptLayout/transcriptLength`` tokens in
    ///   `0..<vocabularySize`.
    public func logLikelihoods(transcripts: [[Int]]) -> Tensor {
        let length = layout.transcriptLength
        let inputs = inputs(of: transcripts)
        let out = forward(inputs, batch: transcripts.count, length: length)
        return Tensor.causalCopyGenerateLogLikelihood(
            copyQuery: out.query, copyKey: out.key, gate: out.gate, generate: out.generate,
            sources: inputs, targets: transcripts.flatMap { $0 })
    }

    /// The reference's loss: ½(mean NLL over sub-question tokens + mean NLL over main-answer
    /// tokens), averaged over the batch; main-question and sub-answer tokens are inputs only.
    /// With no rounds it is the main-answer mean alone.
    ///
    /// - Precondition: at least one transcript, each of ``TranscriptLayout/transcriptLength``.
    public func loss(transcripts: [[Int]]) -> Tensor {
        loss(transcripts: transcripts, averagedOver: transcripts.count)
    }

    /// ``loss(transcripts:)`` divided by `batchCount` transcripts instead of their count: one
    /// shard's share of a whole batch's loss (``ShardedGradients``).
    ///
    /// - Precondition: at least one transcript, each of ``TranscriptLayout/transcriptLength``;
    ///   `batchCount ≥ transcripts.count`.
    public func loss(transcripts: [[Int]], averagedOver batchCount: Int) -> Tensor {
        precondition(!transcripts.isEmpty, "TranscriptModel.loss: no transcripts")
        precondition(batchCount >= transcripts.count, "TranscriptModel.loss: \(transcripts.count) transcripts of a batch of \(batchCount)")
        let length = layout.transcriptLength
        let batch = Float(batchCount)
        let subquestionTokens = Float(layout.interactionLength * layout.questionLength)
        let subquestionWeight = subquestionTokens > 0 ? 0.5 / (batch * subquestionTokens) : 0
        let answerWeight = (subquestionTokens > 0 ? 0.5 : 1) / (batch * Float(layout.answerLength))
        let rowWeights: [Float] = (0..<length).map {
            switch layout.kind(atSequencePosition: $0 + 1) {
            case .subquestion: -subquestionWeight
            case .mainAnswer: -answerWeight
            case .mainQuestion, .subanswer: 0
            }
        }
        let weights = Tensor(shape: [transcripts.count, length], scalars: Array(repeating: rowWeights, count: transcripts.count).flatMap { $0 })
        return (logLikelihoods(transcripts: transcripts) * weights).sum()
    }

    /// The full predicted distribution at every position of whole transcripts, without the
    /// cache: (B, L, V) log-probabilities, row-major; row j predicts transcript token j.
    public func logProbabilities(transcripts: [[Int]]) -> [Float] {
        Tape.withoutRecording {
            let inputs = inputs(of: transcripts)
            let out = forward(inputs, batch: transcripts.count, length: layout.transcriptLength)
            return Tensor.causalCopyGenerateLogProbabilities(
                copyQuery: out.query, copyKey: out.key, gate: out.gate, generate: out.generate, sources: inputs)
        }
    }
}
