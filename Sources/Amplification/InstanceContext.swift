import Tasks

/// One task instance as the engine and the assistants see it: the facts (for models that read
/// them), the leaf lookups (for the engine only) and a counted door to ground truth.
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
    /// The instance: its facts are what a neural assistant encodes.
    public let instance: TaskInstance

    /// The oracle, behind a reference so that the engine's leaf lookups never copy it.
    let oracleBox: OracleBox
    let ledger: GroundTruthLedger

    public init(instance: TaskInstance, task: any AmplificationTask, ledger: GroundTruthLedger) {
        self.instance = instance
        self.oracleBox = OracleBox(task.oracle(for: instance))
        self.ledger = ledger
    }

    var oracle: any InstanceOracle { oracleBox.oracle }

    /// Contexts for `instances`, sharing one new ledger (the usual way to start a run).
    public static func contexts(for instances: [TaskInstance], task: any AmplificationTask) -> [InstanceContext] {
        let ledger = GroundTruthLedger()
        return instances.map { InstanceContext(instance: $0, task: task, ledger: ledger) }
    }

    /// The correct answer to `question`, counted in the shared ledger and the current call's
    /// (tests and the supervised baseline).
    public func groundTruth(_ question: Tokens) -> Tokens {
        ledger.record(1)
        GroundTruthLedger.call?.record(1)
        return oracle.groundTruth(question)
    }

    /// The ground-truth answers handed out through this context's ledger so far.
    public var groundTruthAnswersConsumed: Int { ledger.count }

    /// The question's depth under the expert (evaluation; not counted: it carries no answer).
    public func depth(of question: Tokens) -> Int {
        oracle.depth(of: question)
    }
}

/// An instance's oracle held by reference.
final class OracleBox: Sendable {
    let oracle: any InstanceOracle

    init(_ oracle: any InstanceOracle) {
        self.oracle = oracle
    }
}
