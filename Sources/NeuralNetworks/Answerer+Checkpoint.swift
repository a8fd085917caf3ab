#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SeededRandom
import TensorCore

/// What an answerer checkpoint stores as its configuration JSON.
struct AnswererDescription: Codable, Equatable {
    var configuration: AnswererConfiguration
    var dimensions: TaskDimensions
}

extension Answerer {
    /// A snapshot of the configuration and every parameter under its key.
    public func checkpoint() -> Checkpoint {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let description = AnswererDescription(configuration: configuration, dimensions: dimensions)
        // Encoding plain Int fields cannot fail; an empty configuration would fail loading loudly.
        let json = (try? encoder.encode(description)).map { Array($0) } ?? []
        return Checkpoint(
            configuration: json,
            parameters: parameters().map { Checkpoint.Parameter(key: $0.key, shape: $0.tensor.shape, values: $0.tensor.scalars) })
    }

    /// An answerer rebuilt from a checkpoint: its configuration, then its parameters.
    ///
    /// - Throws: ``CheckpointError`` when the configuration does not decode or the parameters do
    ///   not match the architecture it describes.
    public convenience init(checkpoint: Checkpoint) throws(CheckpointError) {
        let description: AnswererDescription
        do {
            description = try JSONDecoder().decode(AnswererDescription.self, from: Data(checkpoint.configuration))
        } catch {
            throw .unreadableConfiguration("\(error)")
        }
        var rng = SplitMix64(seed: 0)  // every value is overwritten below
        self.init(configuration: description.configuration, dimensions: description.dimensions, rng: &rng)
        try load(checkpoint)
    }

    /// Overwrites this answerer's parameters with the checkpoint's.
    ///
    /// - Throws: ``CheckpointError/incompatible(_:)`` naming the first key or shape that differs;
    ///   nothing is changed in that case.
    public func load(_ checkpoint: Checkpoint) throws(CheckpointError) {
        try loadParameters(checkpoint, modelName: "the model")
    }
}
