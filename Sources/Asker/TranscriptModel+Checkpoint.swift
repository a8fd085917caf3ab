import NeuralNetworks

extension TranscriptModel {
    /// Said in every H′ checkpoint's configuration text: weights trained to read transcripts
    /// without their padding rounds (``TranscriptReading``). Weights saved without it were
    /// trained on the padding and would answer wrongly when read this way.
    static let readingMark = "reads to the first null sub-question"

    /// Every parameter under its key, with the layout, sizes and ``readingMark`` as the
    /// configuration text (``loadParameters(_:)`` checks the mark, keys and shapes).
    func parameterCheckpoint() -> Checkpoint {
        parametersCheckpoint(configuration: Array("\(layout) \(configuration) \(Self.readingMark)".utf8))
    }

    /// Overwrites the parameters with the checkpoint's.
    ///
    /// - Throws: ``CheckpointError/incompatible(_:)`` when the checkpoint was saved by a build of
    ///   H′ that read the padding rounds, or naming the first key or shape that differs; nothing
    ///   is changed in that case.
    func loadParameters(_ checkpoint: Checkpoint) throws(CheckpointError) {
        guard String(decoding: checkpoint.configuration, as: UTF8.self).hasSuffix(Self.readingMark) else {
            throw .incompatible("H′ was saved by an earlier ida, which read its transcripts' padding rounds: start the run again")
        }
        try loadParameters(checkpoint, modelName: "H′")
    }
}
