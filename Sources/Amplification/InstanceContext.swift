import SeededRandom
import Tasks

/// One instance as the engine and the assistants see it: a task's instance (for models that read
/// its facts) or free-text facts, the leaf lookups (for the engine only) and a counted door to
/// ground truth.
///
/// Ground truth is reachable only through ``groundTruth(_:)``, which records each answer in the
/// shared ``GroundTruthLedger`` and in the ledger of the call it is read in
/// (``GroundTruthLedger/attributing(_:)``); an ``Amplifier`` whose
/// ``AmplifierConfiguration/groundTruth`` is `.forbidden` throws
/// ``AmplificationError/groundTruthReachedAnswer(count:assistant:)`` when an assistant call read
/// any. (An assistant that rebuilds the oracle from the task itself bypasses the ledger: the check
/// guards the sanctioned door, and the engine's own code never opens another.) Reads are charged to
/// the call whose task made them, so runs and calls may overlap and share contexts.
public struct InstanceContext: Sendable {
    /// The task instance, for models that encode its facts; `nil` for a context of free-text
    /// facts (which no neural assistant reads).
    public let instance: TaskInstance?

    /// The hidden side (leaf lookups, ground truth), behind a reference so that the engine's leaf
    /// lookups never copy it.
    let worldBox: WorldBox
    let ledger: GroundTruthLedger

    public init(instance: TaskInstance, task: any AmplificationTask, ledger: GroundTruthLedger) {
        self.instance = instance
        self.worldBox = WorldBox(task.oracle(for: instance))
        self.ledger = ledger
    }

    /// A context whose hidden side is `world` (a domain's own, such as free-text facts).
    public init(world: any HiddenWorld, ledger: GroundTruthLedger) {
        self.instance = nil
        self.worldBox = WorldBox(world)
        self.ledger = ledger
    }

    var world: any HiddenWorld { worldBox.world }

    /// The facts as an assistant that reads its context sees them (a task instance's facts, or
    /// free text's, in order); never an answer, so never counted as ground truth.
    public var facts: [Content] {
        if let instance { return instance.facts.map(Content.tokens) }
        if let text = world as? TextFacts { return text.facts.map(Content.text) }
        return []
    }

    /// The task's oracle, for ``RecursiveHCH``, which works on tokens; `nil` for free-text facts.
    var oracle: (any InstanceOracle)? { worldBox.oracle }

    /// Contexts for `instances`, sharing one new ledger (the usual way to start a run).
    public static func contexts(for instances: [TaskInstance], task: any AmplificationTask) -> [InstanceContext] {
        let ledger = GroundTruthLedger()
        return instances.map { InstanceContext(instance: $0, task: task, ledger: ledger) }
    }

    /// The correct answer to `question`, counted in the shared ledger and the current call's
    /// (tests and the supervised baseline); `nil`, and not counted, where the context has none.
    public func groundTruth(_ question: Content) -> Content? {
        guard let truth = world.groundTruth(question) else { return nil }
        ledger.record(1)
        GroundTruthLedger.call?.record(1)
        return truth
    }

    /// The ground-truth answers handed out through this context's ledger so far.
    public var groundTruthAnswersConsumed: Int { ledger.count }

    /// The question's depth under the expert, where the context knows it (evaluation; not
    /// counted: it carries no answer).
    public func depth(of question: Content) -> Int? {
        world.depth(of: question)
    }
}

/// The hidden side of one context, which supervisors never see: the engine's leaf lookups (the
/// domain decides which questions are leaves; the world answers them from its facts) and, behind
/// the counted door of ``InstanceContext/groundTruth(_:)``, the correct answers.
public protocol HiddenWorld: Sendable {
    /// The answer to a leaf question by one lookup; `nil` when `question` is none the world can
    /// look up. Some lookups are random by design (a random neighbour), hence the stream.
    func leafAnswer(_ question: Content, using rng: inout SplitMix64) -> Content?
    /// The correct answer to `question`, where known.
    func groundTruth(_ question: Content) -> Content?
    /// The question's depth under the expert, where known.
    func depth(of question: Content) -> Int?
}

/// A task instance's oracle as a hidden world: its tokens wrapped as content; text, which no task
/// reads, has no answer here.
///
/// Holds the oracle as an existential: a world specialized to each oracle's type measured no
/// faster on the engine's benchmark.
struct TaskWorld: HiddenWorld {
    let oracle: any InstanceOracle

    func leafAnswer(_ question: Content, using rng: inout SplitMix64) -> Content? {
        question.withTokens { oracle.leafAnswer($0, using: &rng) }?.map(Content.tokens)
    }

    func groundTruth(_ question: Content) -> Content? {
        question.kind == .tokens ? .tokens(oracle.groundTruth(question.tokens)) : nil
    }

    func depth(of question: Content) -> Int? {
        question.kind == .tokens ? oracle.depth(of: question.tokens) : nil
    }
}

/// A context's hidden world held by reference, with the task oracle behind it when there is one.
final class WorldBox: Sendable {
    let world: any HiddenWorld
    let oracle: (any InstanceOracle)?

    init(_ world: any HiddenWorld) {
        self.world = world
        oracle = nil
    }

    init(_ oracle: any InstanceOracle) {
        self.world = TaskWorld(oracle: oracle)
        self.oracle = oracle
    }
}
