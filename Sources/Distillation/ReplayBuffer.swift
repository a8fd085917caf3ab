import SeededRandom

/// A FIFO ring of training examples, sampled uniformly with replacement (reference §5.2).
///
/// New examples overwrite the oldest once the ring is full. The buffer counts how often each
/// example was drawn, so a run can check the reuse it was configured for (about 10).
///
/// ```swift
/// var buffer = ReplayBuffer(capacity: 200)
/// buffer.insert(example)
/// let batch = buffer.sample(16, using: &rng)
/// ```
public struct ReplayBuffer: Codable, Sendable, Hashable {
    /// The most examples held.
    public let capacity: Int
    /// The examples, in ring order (oldest at `next` once full).
    public private(set) var examples: [TrainingExample] = []
    /// Where the next insertion goes once the ring is full.
    public private(set) var next = 0
    /// Examples evicted so far.
    public private(set) var evictedCount = 0
    /// Total draws of the evicted examples.
    public private(set) var evictedUses = 0

    /// - Precondition: `capacity ≥ 1`.
    public init(capacity: Int) {
        precondition(capacity >= 1, "ReplayBuffer: capacity must be ≥ 1, got \(capacity)")
        self.capacity = capacity
        examples.reserveCapacity(capacity)
    }

    /// The number of examples held.
    public var count: Int { examples.count }

    /// Adds `example`, evicting the oldest when full.
    public mutating func insert(_ example: TrainingExample) {
        if examples.count < capacity {
            examples.append(example)
        } else {
            evictedCount += 1
            evictedUses += examples[next].uses
            examples[next] = example
            next = (next + 1) % capacity
        }
    }

    /// Replaces every example (the `rounds` schedule's fresh dataset); the reuse tally keeps
    /// counting the examples it drops.
    public mutating func replaceAll(with newExamples: [TrainingExample]) {
        for example in examples {
            evictedCount += 1
            evictedUses += example.uses
        }
        examples.removeAll(keepingCapacity: true)
        next = 0
        for example in newExamples { insert(example) }
    }

    /// `count` examples drawn uniformly with replacement; each draw is counted as a use.
    ///
    /// - Precondition: the buffer is not empty.
    public mutating func sample(_ count: Int, using rng: inout SplitMix64) -> [TrainingExample] {
        precondition(!examples.isEmpty, "ReplayBuffer.sample: the buffer is empty")
        var drawn: [TrainingExample] = []
        drawn.reserveCapacity(count)
        for _ in 0..<count {
            let index = Int(rng.next() % UInt64(examples.count))
            examples[index].uses += 1
            drawn.append(examples[index])
        }
        return drawn
    }

    /// The mean number of draws per evicted example (`nil` before the first eviction): the
    /// measured reuse, to compare with ``DistillationConfiguration/expectedUses``.
    public var meanUsesOfEvicted: Double? {
        evictedCount == 0 ? nil : Double(evictedUses) / Double(evictedCount)
    }
}
