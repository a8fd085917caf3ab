import Amplification
import NeuralNetworks
import SeededRandom
import Tasks

/// The answerer model as an assistant X: one batched forward pass per call.
///
/// A call groups the queries by instance (in order of first appearance), encodes each instance's
/// facts once, and decodes every question of the call in a single ``Answerer/decode(_:mode:rng:)``
/// over a batch padded to the largest fact and question counts (padding facts are masked,
/// padding questions are decoded and dropped). It never reads ground truth.
///
/// Sampling draws from a generator seeded by the queries' own seeds, so the same queries get the
/// same answers: runs are reproducible and the assistant holds no mutable state.
///
/// ```swift
/// let teacher = NeuralAssistant(model: answerer, mode: .sampled)
/// let amplifier = Amplifier(task: task, supervisor: ScriptedExpert(task: task), assistant: teacher)
/// ```
public struct NeuralAssistant: Assistant, @unchecked Sendable {
    // Safe: `Answerer` is a non-Sendable class, but decoding only reads its weights (inference
    // records on no tape and writes only fresh tensors), `statistics` locks, and the owner must
    // not train the model during a call; concurrent calls are then reads only.

    /// The model that answers (the EMA teacher during training).
    public let model: Answerer
    /// Sampled (the paper's) or greedy decoding.
    public let mode: DecodingMode
    /// Counts calls and batch shapes (tests check one forward per call).
    let statistics: NeuralAssistantStatistics?

    public init(model: Answerer, mode: DecodingMode = .sampled) {
        self.init(model: model, mode: mode, statistics: nil)
    }

    init(model: Answerer, mode: DecodingMode, statistics: NeuralAssistantStatistics?) {
        self.model = model
        self.mode = mode
        self.statistics = statistics
    }

    public var agent: Agent { .model }

    public func answer(_ queries: [AssistantQuery], contexts: [InstanceContext]) async throws -> [Content] {
        answers(to: queries, contexts: contexts).map(Content.tokens)
    }

    /// The synchronous core of ``answer(_:contexts:)``.
    ///
    /// - Precondition: every `query.context` indexes `contexts`, each a task's instance.
    public func answers(to queries: [AssistantQuery], contexts: [InstanceContext]) -> [Tokens] {
        guard !queries.isEmpty else { return [] }
        let instances = contexts.map { context in
            guard let instance = context.instance else {
                preconditionFailure("NeuralAssistant: a context of free-text facts; a model reads a task's instances")
            }
            return instance
        }
        let layout = NeuralAssistant.layout(queries, instances: instances, dimensions: model.dimensions)
        var seed: UInt64 = 0x5EED_A551_57A4_7000
        for query in queries {
            var mixer = SplitMix64(seed: seed ^ query.seed)
            seed = mixer.next()
        }
        var rng = SplitMix64(seed: seed)
        let flat = model.decode(layout.batch, mode: mode, rng: &rng)
        statistics?.record(instances: layout.batch.instanceCount, questions: layout.batch.questionCount)
        let A = model.dimensions.answerLength
        return layout.rows.map { row in Array(flat[(row * A)..<((row + 1) * A)]) }
    }

    /// The padded batch for `queries` and, per query, its row (b·Q + q) in the batch.
    static func layout(_ queries: [AssistantQuery], instances: [TaskInstance], dimensions: TaskDimensions)
        -> (batch: AnswererBatch, rows: [Int])
    {
        var order: [Int] = []  // context indices in order of first appearance
        var slotOfContext: [Int: Int] = [:]
        var questionsOf: [[Tokens]] = []
        var rowsInInstance: [(instance: Int, question: Int)] = []
        rowsInInstance.reserveCapacity(queries.count)
        for query in queries {
            precondition(
                instances.indices.contains(query.context),
                "NeuralAssistant: query context \(query.context) outside \(instances.count) contexts")
            let slot: Int
            if let existing = slotOfContext[query.context] {
                slot = existing
            } else {
                slot = order.count
                slotOfContext[query.context] = slot
                order.append(query.context)
                questionsOf.append([])
            }
            rowsInInstance.append((slot, questionsOf[slot].count))
            questionsOf[slot].append(query.question.tokens)
        }
        let factCount = order.map { instances[$0].facts.count }.max() ?? 0
        let questionCount = questionsOf.map(\.count).max() ?? 0
        let batch = AnswererBatch.padded(
            facts: order.map { instances[$0].facts }, questions: questionsOf, targets: nil,
            factCount: max(factCount, 1), questionCount: questionCount, dimensions: dimensions)
        return (batch, rowsInInstance.map { $0.instance * questionCount + $0.question })
    }
}
