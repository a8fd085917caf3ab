import Foundation
import OutsideInput

/// A training's saved state as versioned JSON (``TrainingState``, ``PreferenceLearner/State``):
/// one encoding and one checked decoding for every kind of run that resumes.
public protocol SavedState: Codable {
    /// The format this build writes and reads.
    static var currentFormatVersion: Int { get }
    var formatVersion: Int { get }
}

extension SavedState {
    /// The JSON bytes, keys sorted.
    ///
    /// - Throws: an `EncodingError` only if a value cannot be encoded (never for a real state).
    public func serialized() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(self))
    }

    /// Decodes ``serialized()`` bytes (read from a store: outside input), checking the nesting
    /// and the format version.
    ///
    /// - Throws: ``DistillationError/unreadableState(_:)`` or ``DistillationError/incompatibleState(_:)``.
    static func decoded(from bytes: [UInt8]) throws(DistillationError) -> Self {
        guard !JSONNesting.exceeds(JSONNesting.limit, in: bytes) else { throw .unreadableState(JSONNesting.problem()) }
        let decoded: Self
        do {
            decoded = try JSONDecoder().decode(Self.self, from: Data(bytes))
        } catch {
            throw .unreadableState("\(error)".prefix(200).description)
        }
        guard decoded.formatVersion == currentFormatVersion else {
            throw .incompatibleState("format version \(decoded.formatVersion), this build reads \(currentFormatVersion)")
        }
        return decoded
    }
}
