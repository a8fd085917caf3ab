import NeuralNetworks

extension TranscriptModel {
    /// Every parameter under its key, with the layout and sizes as the configuration text (for
    /// people reading a dump; ``loadParameters(_:)`` checks keys and shapes, not the text).
    func parameterCheckpoint() -> Checkpoint {
        parametersCheckpoint(configuration: Array("\(layout) \(configuration)".utf8))
    }

    /// Overwrites the parameters with the checkpoint's.
    ///
    /// - Throws: ``CheckpointError/incompatible(_:)`` naming the first key or shape that differs;
    ///   nothing is changed in that case.
    func loadParameters(_ checkpoint: Checkpoint) throws(CheckpointError) {
        try loadParameters(checkpoint, modelName: "H′")
    }
}
