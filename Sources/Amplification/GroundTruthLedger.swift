#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

/// The counted door to ground truth: every ground-truth answer handed out through an
/// ``InstanceContext`` is counted here, so the engine can prove none reached an amplified answer.
///
/// Two kinds of ledger count the same reads. The contexts made together
/// (``InstanceContext/contexts(for:task:)``) share one, which totals what a whole run read. A
/// call's ledger counts only what was read while that call ran: ``attributing(_:)`` makes one and
/// binds it to the calling task, and every read made by that task or its child tasks lands in it
/// (and in the enclosing call's, when calls nest). Calls that overlap in time therefore never see
/// each other's reads, as a before-and-after difference of a shared count would. Thread-safe.
// Safe: `consumed`, the only mutable state, is read and written only with `lock` held; `parent`
// is immutable.
public final class GroundTruthLedger: @unchecked Sendable {
    private let lock = NSLock()
    private var consumed = 0
    /// The enclosing call's ledger, which also counts this one's reads.
    private let parent: GroundTruthLedger?

    public init() {
        parent = nil
    }

    private init(parent: GroundTruthLedger?) {
        self.parent = parent
    }

    /// The number of ground-truth answers handed out so far.
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return consumed
    }

    func record(_ answers: Int) {
        lock.lock()
        consumed += answers
        lock.unlock()
        parent?.record(answers)
    }

    /// The ledger of the call the current task runs inside, if any.
    @TaskLocal static var call: GroundTruthLedger?

    /// Runs `body` as one call and returns its result with the ground-truth answers read during
    /// it: by its own task and the child tasks it creates, not by anything running beside it.
    public static func attributing<Result>(
        _ body: () async throws -> Result
    ) async rethrows -> (result: Result, consumed: Int) {
        let ledger = GroundTruthLedger(parent: call)
        let result = try await $call.withValue(ledger) { try await body() }
        return (result, ledger.count)
    }
}
