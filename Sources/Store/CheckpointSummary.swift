import Foundation

/// A checkpoint without its payload: what listings show.
public struct CheckpointSummary: Codable, Sendable, Hashable {
    public var step: Int
    public var formatVersion: Int
    /// The payload's size in bytes.
    public var byteCount: Int
    public var createdAt: Date

    public init(step: Int, formatVersion: Int, byteCount: Int, createdAt: Date) {
        self.step = step
        self.formatVersion = formatVersion
        self.byteCount = byteCount
        self.createdAt = createdAt
    }
}
