import SeededRandom
import TensorCore

/// RLHF's reward model (`Documentation/RLHF.md`): the answerer's encoder with a scalar head. It
/// reads an instance's facts as the answerer does, and a question with a candidate answer as one
/// sequence (the question's tokens, then the answer's), attends to the facts, and scores the
/// answer: `r = w·h + c`, with `h` the sequence's state after the cells. It is trained on
/// preferences between two answers to the same question with the Bradley–Terry loss
/// (``preferenceLoss(preferred:rejected:)``).
///
/// ```swift
/// let model = RewardModel(configuration: .tiny, dimensions: dimensions, rng: &rng)
/// let loss = tape.recording { model.preferenceLoss(preferred: chosen, rejected: other) }
/// let scores = model.rewards(candidates)   // (B, Q)
/// ```
public final class RewardModel: Module {
    public let configuration: AnswererConfiguration
    public let dimensions: TaskDimensions
    public let factEncoder: TokenEncoder
    public let factCells: [TransformerCell]
    /// Encodes a question followed by a candidate answer.
    public let pairEncoder: TokenEncoder
    public let pairCells: [TransformerCell]
    /// `d → 1`: the score.
    public let head: Linear

    /// - Precondition: as for ``Answerer``.
    public init(configuration: AnswererConfiguration, dimensions: TaskDimensions, rng: inout SplitMix64) {
        configuration.validate()
        dimensions.validate()
        self.configuration = configuration
        self.dimensions = dimensions
        let (d, e, v) = (configuration.modelDimension, configuration.tokenEmbeddingDimension, dimensions.vocabularySize)
        let cell = { (rng: inout SplitMix64) in
            TransformerCell(
                dimension: d, headCount: configuration.headCount, feedForwardMultiplier: configuration.feedForwardMultiplier,
                rng: &rng)
        }
        factEncoder = TokenEncoder(vocabularySize: v, length: dimensions.factLength, embeddingDimension: e, dimension: d, rng: &rng)
        factCells = (0..<configuration.factLayerCount).map { _ in cell(&rng) }
        pairEncoder = TokenEncoder(
            vocabularySize: v, length: dimensions.questionLength + dimensions.answerLength, embeddingDimension: e, dimension: d,
            rng: &rng)
        pairCells = (0..<configuration.questionLayerCount).map { _ in cell(&rng) }
        head = Linear(inputCount: d, outputCount: 1, rng: &rng)
    }

    /// The score of every question's candidate answer (the batch's targets), (B, Q). Record it on
    /// a tape to train.
    ///
    /// - Precondition: the batch has one answer per question, shapes match ``dimensions``.
    public func rewards(_ batch: AnswererBatch) -> Tensor {
        let (B, F, Q) = (batch.instanceCount, batch.factCount, batch.questionCount)
        let (L, M, A) = (dimensions.factLength, dimensions.questionLength, dimensions.answerLength)
        precondition(batch.facts.count == B * F * L, "RewardModel: \(batch.facts.count) fact tokens for (\(B), \(F), \(L))")
        precondition(
            batch.questions.count == B * Q * M && batch.targets.count == B * Q * A,
            "RewardModel: \(batch.questions.count) question and \(batch.targets.count) answer tokens for (\(B), \(Q))")
        let mask = Tensor.attentionMask(keep: batch.factIsReal(factLength: L), shape: [B, 1, F])  // (B, 1, F)
        var facts = factEncoder(batch.facts, batchCount: B, sequenceCount: F)  // (B, F, d)
        for cell in factCells {
            facts = cell(facts, memory: facts, mask: mask)
        }
        var pairs: [Int] = []
        pairs.reserveCapacity(B * Q * (M + A))
        for row in 0..<(B * Q) {
            pairs += batch.questions[(row * M)..<((row + 1) * M)]
            pairs += batch.targets[(row * A)..<((row + 1) * A)]
        }
        var states = pairEncoder(pairs, batchCount: B, sequenceCount: Q)  // (B, Q, d)
        for cell in pairCells {
            states = cell(states, memory: facts, mask: mask)
        }
        return head(states).reshaped([B, Q])  // (B, Q)
    }

    /// The Bradley–Terry loss of preferring each question's answer in `preferred` to its answer
    /// in `rejected`: −log σ(r(preferred) − r(rejected)), averaged over the real (non-padding)
    /// questions. Record it on a tape to train.
    ///
    /// - Precondition: both batches hold the same facts and questions.
    public func preferenceLoss(preferred: AnswererBatch, rejected: AnswererBatch) -> Tensor {
        precondition(
            preferred.facts == rejected.facts && preferred.questions == rejected.questions,
            "RewardModel.preferenceLoss: the two batches must hold the same facts and questions")
        let (B, Q) = (preferred.instanceCount, preferred.questionCount)
        let margin = rewards(preferred) - rewards(rejected)  // (B, Q)
        // −log σ(x) = log(e⁰ + e^(−x)), a log-sum-exp that stays finite for any margin.
        let terms = Tensor.concatenate(
            [Tensor.zeros(shape: [B, Q, 1]), margin.scaled(by: -1).reshaped([B, Q, 1])], axis: 2
        ).logSumExp(axis: 2)  // (B, Q)
        let isReal = preferred.questionIsReal(questionLength: dimensions.questionLength)
        let count = Float(max(1, isReal.count { $0 }))
        return (terms * Tensor(shape: [B, Q], scalars: isReal.map { $0 ? 1 / count : 0 })).sum()
    }

    public func parameters() -> [NamedParameter] {
        var result = factEncoder.parameters(prefix: "facts.encoder")
        for (index, cell) in factCells.enumerated() { result += cell.parameters(prefix: "facts.cells.\(index)") }
        result += pairEncoder.parameters(prefix: "pairs.encoder")
        for (index, cell) in pairCells.enumerated() { result += cell.parameters(prefix: "pairs.cells.\(index)") }
        result += head.parameters(prefix: "head")
        return result
    }
}
