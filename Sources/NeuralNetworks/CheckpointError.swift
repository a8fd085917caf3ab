import OutsideInput

/// Why a checkpoint could not be read or applied: a one-line description plus a hint.
public enum CheckpointError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The bytes end before the structure they announce does: inside `field`.
    case truncated(field: String, expectedBytes: Int, found: Int)
    /// The file does not start with ida's checkpoint magic number.
    case foreignFile(magic: [UInt8])
    /// The file's format version is not one this build reads.
    case unsupportedVersion(found: UInt32, expected: UInt32)
    /// The trailing checksum does not match the content (the file was altered or damaged).
    case checksumMismatch(stored: UInt64, computed: UInt64)
    /// A structural field holds an impossible value (e.g. a key that is not UTF-8).
    case malformed(String)
    /// The model configuration stored in the checkpoint could not be decoded.
    case unreadableConfiguration(String)
    /// The checkpoint's parameters do not match the model they are loaded into.
    case incompatible(String)

    public var description: String {
        let hint = "hint: re-create it with this version of ida (e.g. train again) or pass the right file"
        switch self {
        case let .truncated(field, expected, found):
            return "checkpoint is truncated in \(field): needs at least \(expected) bytes, found \(found); \(hint)"
        case .foreignFile(let magic):
            return "not an ida checkpoint: magic bytes \(magic) are not \(Array(Checkpoint.magic)); \(hint)"
        case .unsupportedVersion(let found, let expected):
            return "checkpoint format version \(found) is not supported (this ida reads \(expected)); \(hint)"
        case .checksumMismatch(let stored, let computed):
            return "checkpoint is corrupted: checksum \(stored) does not match content \(computed); \(hint)"
        case .malformed(let what):
            return "checkpoint is malformed: \(what); \(hint)"
        case .unreadableConfiguration(let what):
            return "checkpoint configuration is unreadable: \(what); \(hint)"
        case .incompatible(let what):
            return "checkpoint does not fit this model: \(what); \(hint)"
        }
    }
}
