#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

/// The counted door to ground truth: every ground-truth answer handed out through an
/// ``InstanceContext`` is counted here, so the engine can prove none reached an amplified answer.
///
/// One ledger is shared by the contexts made together (``InstanceContext/contexts(for:task:)``);
/// the ``Amplifier`` reads it before and after each assistant call. Thread-safe.
// Safe: `consumed`, the only mutable state, is read and written only with `lock` held.
public final class GroundTruthLedger: @unchecked Sendable {
    private let lock = NSLock()
    private var consumed = 0

    public init() {}

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
    }
}
