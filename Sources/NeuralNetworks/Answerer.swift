import SeededRandom
import TensorCore

/// X, the answerer: reads an instance's facts and answers questions about them token by token
/// (reference §4.2, scaled for CPU; the exact architecture is `Documentation/Answerer.md`).
///
/// Facts are encoded once per instance as a set (self-attention cells, padding facts masked);
/// questions cross-attend to the fact states; each answer position mixes copy-from-facts heads
/// with a generate head in log space.
///
/// ```swift
/// var rng = SplitMix64(seed: 1)
/// let dimensions = TaskDimensions(vocabularySize: 20, factLength: 3, questionLength: 2, answerLength: 1)
/// let model = Answerer(configuration: .tiny, dimensions: dimensions, rng: &rng)
/// let adam = Adam(parameters: model.parameters().map(\.tensor))
/// let tape = Tape()
/// let loss = tape.recording { model.loss(batch) }
/// tape.backward(loss)
/// adam.step()
/// let answers = model.decode(facts: facts, questions: questions, mode: .greedy, rng: &rng)
/// ```
public final class Answerer: Module {
    public let configuration: AnswererConfiguration
    public let dimensions: TaskDimensions
    public let factEncoder: TokenEncoder
    public let factCells: [TransformerCell]
    public let questionEncoder: TokenEncoder
    public let questionCells: [TransformerCell]
    /// One head per answer position.
    public let answerHeads: [AnswerHead]

    /// A freshly initialised answerer; the weights come from `rng`.
    ///
    /// - Precondition: the configuration and dimensions are valid (positive sizes, d divisible
    ///   by the head count).
    public init(configuration: AnswererConfiguration, dimensions: TaskDimensions, rng: inout SplitMix64) {
        configuration.validate()
        dimensions.validate()
        self.configuration = configuration
        self.dimensions = dimensions
        let d = configuration.modelDimension
        let e = configuration.tokenEmbeddingDimension
        let v = dimensions.vocabularySize
        factEncoder = TokenEncoder(vocabularySize: v, length: dimensions.factLength, embeddingDimension: e, dimension: d, rng: &rng)
        factCells = (0..<configuration.factLayerCount).map { _ in
            TransformerCell(dimension: d, headCount: configuration.headCount, feedForwardMultiplier: configuration.feedForwardMultiplier, rng: &rng)
        }
        questionEncoder = TokenEncoder(
            vocabularySize: v, length: dimensions.questionLength, embeddingDimension: e, dimension: d, rng: &rng)
        questionCells = (0..<configuration.questionLayerCount).map { _ in
            TransformerCell(dimension: d, headCount: configuration.headCount, feedForwardMultiplier: configuration.feedForwardMultiplier, rng: &rng)
        }
        answerHeads = (0..<dimensions.answerLength).map {
            AnswerHead(position: $0, configuration: configuration, dimensions: dimensions, rng: &rng)
        }
    }

    /// The fact states (B, F, d) and question states (B, Q, d) of a batch: facts encoded once.
    public func encode(_ batch: AnswererBatch) -> (facts: Tensor, questions: Tensor) {
        check(batch)
        let factIsReal = batch.factIsReal(factLength: dimensions.factLength)
        let mask = Tensor.attentionMask(keep: factIsReal, shape: [batch.instanceCount, 1, batch.factCount])  // (B, 1, F)
        var facts = factEncoder(batch.facts, batchCount: batch.instanceCount, sequenceCount: batch.factCount)  // (B, F, d)
        for cell in factCells {
            facts = cell(facts, memory: facts, mask: mask)
        }
        var questions = questionEncoder(batch.questions, batchCount: batch.instanceCount, sequenceCount: batch.questionCount)  // (B, Q, d)
        for cell in questionCells {
            questions = cell(questions, memory: facts, mask: mask)
        }
        return (facts, questions)
    }

    /// The training loss: −log P(target) summed over answer positions, averaged over the real
    /// (non-padding) questions, with teacher forcing. Record it on a tape to train.
    ///
    /// - Precondition: the batch has targets, shapes match ``dimensions``, ids are in range.
    public func loss(_ batch: AnswererBatch) -> Tensor {
        check(batch)  // before counting questions, so a short token array gets this message
        return loss(batch, averagedOver: realQuestionCount(batch))
    }

    /// −log P(target) summed over answer positions and over `batch`'s real questions, divided by
    /// `questionCount`: a shard's part of a larger batch's ``loss(_:)`` when `questionCount` is
    /// the whole batch's ``realQuestionCount(_:)`` (the parts then add up to the whole).
    ///
    /// - Precondition: as ``loss(_:)``, and `questionCount > 0`.
    public func loss(_ batch: AnswererBatch, averagedOver questionCount: Int) -> Tensor {
        check(batch)
        precondition(questionCount > 0, "Answerer.loss: averaged over \(questionCount) questions")
        let isReal = batch.questionIsReal(questionLength: dimensions.questionLength)
        let weights = Tensor(
            shape: [batch.instanceCount, batch.questionCount], scalars: isReal.map { $0 ? -1 / Float(questionCount) : 0 })
        return (logLikelihoods(batch) * weights).sum()
    }

    /// −Σ weights · log P(target) over the batch's questions, `weights` one per question (B·Q,
    /// row-major; a padding question's is ignored). With sampled answers as the targets and their
    /// advantages, divided by the batch's size, as the weights, it is the policy gradient's
    /// surrogate loss (REINFORCE). Record it on a tape to train.
    ///
    /// - Precondition: as ``loss(_:)``, and one weight per question.
    public func weightedLoss(_ batch: AnswererBatch, weights: [Float]) -> Tensor {
        check(batch)
        let (B, Q) = (batch.instanceCount, batch.questionCount)
        precondition(weights.count == B * Q, "Answerer.weightedLoss: \(weights.count) weights for (\(B), \(Q)) questions")
        let isReal = batch.questionIsReal(questionLength: dimensions.questionLength)
        let scale = Tensor(shape: [B, Q], scalars: zip(isReal, weights).map { $0 ? -$1 : 0 })
        return (logLikelihoods(batch) * scale).sum()
    }

    /// The number of questions the loss averages over: the batch's non-padding questions, at
    /// least 1 (a batch of padding has loss 0).
    public func realQuestionCount(_ batch: AnswererBatch) -> Int {
        max(1, batch.questionIsReal(questionLength: dimensions.questionLength).count { $0 })
    }

    /// log P(target answer) of every question under teacher forcing, (B, Q): the sum over answer
    /// positions of log P(target token | question, facts, target prefix).
    ///
    /// - Precondition: the batch has targets, shapes match ``dimensions``, ids are in range.
    public func logLikelihoods(_ batch: AnswererBatch) -> Tensor {
        let (B, Q, A) = (batch.instanceCount, batch.questionCount, dimensions.answerLength)
        precondition(
            batch.targets.count == B * Q * A,
            "Answerer.loss: \(batch.targets.count) target tokens for (\(B), \(Q), \(A))")
        let (factStates, questionStates) = encode(batch)
        var total: Tensor?
        for head in answerHeads {
            let i = head.position
            let prefix = (0..<(B * Q)).flatMap { row in batch.targets[(row * A)..<(row * A + i)] }  // (B, Q, i)
            let targets = (0..<(B * Q)).map { batch.targets[$0 * A + i] }  // (B, Q)
            let o = head.outputs(input: head.input(questionStates: questionStates, previousTokens: prefix), factStates: factStates)
            let logLikelihood = Tensor.copyGenerateLogLikelihood(
                copyQuery: o.copyQuery, copyKey: o.copyKey, mixture: o.mixture, generate: o.generate,
                facts: batch.facts, targets: targets)  // (B, Q)
            total = total.map { $0 + logLikelihood } ?? logLikelihood
        }
        return total ?? Tensor.zeros(shape: [B, Q])
    }

    /// A second answerer that reads and writes this one's weights (``Tensor/shareValues(with:)``)
    /// but accumulates its own gradients: one per shard of a data-parallel training step.
    public func replica() -> Answerer {
        var unused = SplitMix64(seed: 0)  // the fresh weights are replaced at once
        return sharingWeights(into: Answerer(configuration: configuration, dimensions: dimensions, rng: &unused))
    }

    /// - Precondition: the batch's token arrays fill their shapes.
    func check(_ batch: AnswererBatch) {
        precondition(
            batch.facts.count == batch.instanceCount * batch.factCount * dimensions.factLength,
            "Answerer: \(batch.facts.count) fact tokens for (\(batch.instanceCount), \(batch.factCount), \(dimensions.factLength))")
        precondition(
            batch.questions.count == batch.instanceCount * batch.questionCount * dimensions.questionLength,
            "Answerer: \(batch.questions.count) question tokens for (\(batch.instanceCount), \(batch.questionCount), \(dimensions.questionLength))")
    }

    public func parameters() -> [NamedParameter] {
        var result = factEncoder.parameters(prefix: "facts.encoder")
        for (index, cell) in factCells.enumerated() { result += cell.parameters(prefix: "facts.cells.\(index)") }
        result += questionEncoder.parameters(prefix: "questions.encoder")
        for (index, cell) in questionCells.enumerated() { result += cell.parameters(prefix: "questions.cells.\(index)") }
        for head in answerHeads { result += head.parameters(prefix: "answer.\(head.position)") }
        return result
    }
}
