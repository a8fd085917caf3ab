#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

/// Counts a ``NeuralAssistant``'s forward passes and their batch shapes (a test probe).
// Safe: `shapes`, the only mutable state, is read and written only with `lock` held.
final class NeuralAssistantStatistics: @unchecked Sendable {
    private let lock = NSLock()
    private var shapes: [(instances: Int, questions: Int)] = []

    /// (instances, questions per instance) of every forward pass, in order.
    var forwardPasses: [(instances: Int, questions: Int)] {
        lock.lock()
        defer { lock.unlock() }
        return shapes
    }

    func record(instances: Int, questions: Int) {
        lock.lock()
        shapes.append((instances, questions))
        lock.unlock()
    }
}
