/// Adam's state (step count and both moments) as a ``Checkpoint``, so that a training run can
/// resume exactly where it stopped.
///
/// The moments are stored as parameters `firstMoment.<i>` and `secondMoment.<i>` (i: the index
/// of the tensor in ``Adam/parameters``), the step count as the configuration text
/// `{"stepCount":n}`.
///
/// ```swift
/// let saved = adam.stateCheckpoint()
/// try fresh.restore(saved)   // fresh: an Adam over the same parameter shapes
/// ```
extension Adam {
    /// A snapshot of the step count and the moments.
    public func stateCheckpoint() -> Checkpoint {
        var parameters: [Checkpoint.Parameter] = []
        for (index, tensor) in self.parameters.enumerated() {
            let start = offsets[index]
            // Safe: [start, start + tensor.count) is parameter `index`'s slice of both moment buffers.
            let first = Array(UnsafeBufferPointer(start: firstMoments + start, count: tensor.count))
            let second = Array(UnsafeBufferPointer(start: secondMoments + start, count: tensor.count))
            parameters.append(Checkpoint.Parameter(key: "firstMoment.\(index)", shape: tensor.shape, values: first))
            parameters.append(Checkpoint.Parameter(key: "secondMoment.\(index)", shape: tensor.shape, values: second))
        }
        return Checkpoint(configuration: Array("{\"stepCount\":\(stepCount)}".utf8), parameters: parameters)
    }

    /// Overwrites the step count and moments with a snapshot's.
    ///
    /// - Throws: ``CheckpointError/incompatible(_:)`` when the snapshot's tensors do not match
    ///   this optimizer's parameters, ``CheckpointError/unreadableConfiguration(_:)`` when the
    ///   step count does not parse; nothing is changed in either case.
    public func restore(_ checkpoint: Checkpoint) throws(CheckpointError) {
        let text = String(decoding: checkpoint.configuration, as: UTF8.self)
        let prefix = "{\"stepCount\":"
        guard text.hasPrefix(prefix), text.hasSuffix("}"), let steps = Int(text.dropFirst(prefix.count).dropLast()), steps >= 0
        else { throw .unreadableConfiguration("Adam state: \(text.prefix(40))") }
        guard checkpoint.parameters.count == 2 * parameters.count else {
            throw .incompatible("Adam state has \(checkpoint.parameters.count) moments, the optimizer \(2 * parameters.count)")
        }
        for (index, tensor) in parameters.enumerated() {
            for (offset, name) in ["firstMoment", "secondMoment"].enumerated() {
                let stored = checkpoint.parameters[2 * index + offset]
                guard stored.key == "\(name).\(index)", stored.shape == tensor.shape, stored.values.count == tensor.count else {
                    throw .incompatible(
                        "Adam state \(stored.key) \(stored.shape) with \(stored.values.count) values where the optimizer has \(name).\(index) \(tensor.shape)")
                }
            }
        }
        stepCount = steps
        // Safe: each moment has exactly tensor.count values (checked above), so parameter i's
        // writes stay in [offsets[i], offsets[i + 1]) of the moment buffers.
        for index in parameters.indices {
            let start = offsets[index]
            for (offset, value) in checkpoint.parameters[2 * index].values.enumerated() { firstMoments[start + offset] = value }
            for (offset, value) in checkpoint.parameters[2 * index + 1].values.enumerated() { secondMoments[start + offset] = value }
        }
    }
}
