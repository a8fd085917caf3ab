import Foundation

/// A saved training state: the model's bytes plus what the trainer needs to resume.
///
/// The store keeps the payload opaque; `formatVersion` is the payload's own format (the reader
/// checks it before decoding), `trainerState` is JSON text (RNG states, curriculum size,
/// counters, replay-buffer position, …).
public struct CheckpointRecord: Codable, Sendable, Hashable {
    public var step: Int
    /// The payload's format version, at least 1.
    public var formatVersion: Int
    /// The serialised model (and optimiser) state.
    public var payload: [UInt8]
    /// The trainer's resumable state as JSON text.
    public var trainerState: String
    /// When it was saved, passed in by the caller.
    public var createdAt: Date

    public init(
        step: Int, formatVersion: Int, payload: [UInt8], trainerState: String, createdAt: Date
    ) {
        self.step = step
        self.formatVersion = formatVersion
        self.payload = payload
        self.trainerState = trainerState
        self.createdAt = createdAt
    }
}
