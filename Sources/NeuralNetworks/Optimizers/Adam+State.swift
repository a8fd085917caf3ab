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
            parameters.append(Checkpoint.Parameter(key: "firstMoment.\(index)", shape: tensor.shape, values: firstMoments[index]))
            parameters.append(Checkpoint.Parameter(key: "secondMoment.\(index)", shape: tensor.shape, values: secondMoments[index]))
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
                guard stored.key == "\(name).\(index)", stored.shape == tensor.shape else {
                    throw .incompatible("Adam state \(stored.key) \(stored.shape) where the optimizer has \(name).\(index) \(tensor.shape)")
                }
            }
        }
        stepCount = steps
        for index in parameters.indices {
            firstMoments[index] = checkpoint.parameters[2 * index].values
            secondMoments[index] = checkpoint.parameters[2 * index + 1].values
        }
    }
}
