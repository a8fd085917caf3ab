import OutsideInput

/// A model's parameters under stable keys, plus its configuration as JSON: the unit ida saves.
///
/// `serialized()` and `init(bytes:)` implement the versioned binary format of
/// `Documentation/CheckpointFormat.md`: magic, format version, configuration JSON, the parameters
/// (key, shape, little-endian Float32 values) and an FNV-1a 64 checksum. The round trip is bit
/// exact: `Checkpoint(bytes: c.serialized()).serialized() == c.serialized()`.
///
/// ```swift
/// let bytes = answerer.checkpoint().serialized()
/// let restored = try Answerer(checkpoint: Checkpoint(bytes: bytes))
/// ```
public struct Checkpoint: Sendable, Equatable {
    /// One named parameter: its shape and row-major values.
    public struct Parameter: Sendable, Equatable {
        public var key: String
        public var shape: [Int]
        public var values: [Float]

        public init(key: String, shape: [Int], values: [Float]) {
            precondition(
                shape.reduce(1, *) == values.count,
                "Checkpoint.Parameter: shape \(shape) does not hold \(values.count) values (key \(key))")
            self.key = key
            self.shape = shape
            self.values = values
        }
    }

    /// "IDACKPT" and a zero byte: identifies the file kind.
    public static let magic: [UInt8] = Array("IDACKPT".utf8) + [0]
    /// The format this build writes and reads; bump it on any layout change.
    public static let formatVersion: UInt32 = 1

    /// The model configuration, as UTF-8 JSON text (opaque to the container).
    public var configuration: [UInt8]
    /// Parameters in model order.
    public var parameters: [Parameter]

    public init(configuration: [UInt8], parameters: [Parameter]) {
        self.configuration = configuration
        self.parameters = parameters
    }

    /// The binary form (see `Documentation/CheckpointFormat.md`).
    public func serialized() -> [UInt8] {
        var out = ByteWriter()
        out.bytes.append(contentsOf: Checkpoint.magic)
        out.append(Checkpoint.formatVersion)
        out.append(UInt64(configuration.count))
        out.bytes.append(contentsOf: configuration)
        out.append(UInt32(parameters.count))
        for parameter in parameters {
            let key = Array(parameter.key.utf8)
            out.append(UInt32(key.count))
            out.bytes.append(contentsOf: key)
            out.append(UInt32(parameter.shape.count))
            for extent in parameter.shape { out.append(UInt64(extent)) }
            for value in parameter.values { out.append(value.bitPattern) }
        }
        out.append(fnv1a64(out.bytes[...]))
        return out.bytes
    }

    /// Parses the binary form, checking magic, version and checksum before the payload.
    ///
    /// - Throws: ``CheckpointError`` (never traps) on a truncated, foreign, newer or damaged file.
    public init(bytes: [UInt8]) throws(CheckpointError) {
        var reader = ByteReader(bytes: bytes)
        let magic = try reader.read(count: Checkpoint.magic.count, "the magic number")
        guard magic == Checkpoint.magic else { throw .foreignFile(magic: magic) }
        let version = try reader.readUInt32("the format version")
        guard version == Checkpoint.formatVersion else {
            throw .unsupportedVersion(found: version, expected: Checkpoint.formatVersion)
        }
        guard bytes.count >= reader.offset + 8 else {
            throw .truncated(field: "the checksum", expectedBytes: reader.offset + 8, found: bytes.count)
        }
        let body = bytes[..<(bytes.count - 8)]
        var tail = ByteReader(bytes: bytes, offset: bytes.count - 8)
        let stored = try tail.readUInt64("the checksum")
        reader.limit = bytes.count - 8
        let configuration = try reader.read(count: reader.readLength("the configuration length"), "the configuration")
        let parameterCount = Int(try reader.readUInt32("the parameter count"))
        var parameters: [Parameter] = []
        // Every parameter takes at least 8 bytes (key length and rank), so a huge count in a
        // short file fails at its first missing parameter: reserve no more than the file allows.
        parameters.reserveCapacity(min(parameterCount, (reader.limit - reader.offset) / 8))
        for index in 0..<parameterCount {
            let keyLength = Int(try reader.readUInt32("the key length of parameter \(index)"))
            let keyBytes = try reader.read(count: keyLength, "the key of parameter \(index)")
            guard let key = String(validating: keyBytes, as: UTF8.self) else {
                throw .malformed("the key of parameter \(index) at offset \(reader.offset - keyLength) is not UTF-8")
            }
            let name = "parameter \(ErrorText.printable(key))"
            let rank = Int(try reader.readUInt32("the rank of \(name)"))
            guard rank <= 8 else { throw .malformed("\(name) has rank \(rank), more than 8") }
            var shape: [Int] = []
            for axis in 0..<rank { shape.append(try reader.readLength("extent \(axis) of \(name)")) }
            // Each extent is below 2^31, but a product of several, and 4 bytes per value, can
            // still overflow an Int: such a shape cannot be in the file, whatever its length.
            var count = 1
            var byteCount = 4
            for extent in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: extent)
                let (bytes, bytesOverflow) = product.multipliedReportingOverflow(by: 4)
                guard !overflow, !bytesOverflow else { throw .malformed("\(name) has shape \(shape), too many values for any file") }
                count = product
                byteCount = bytes
            }
            let raw = try reader.read(count: byteCount, "the values of \(name)")
            let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for index in 0..<count {
                    let base = index * 4
                    let bits = UInt32(raw[base]) | UInt32(raw[base + 1]) << 8 | UInt32(raw[base + 2]) << 16
                        | UInt32(raw[base + 3]) << 24
                    buffer[index] = Float(bitPattern: bits)
                }
                initialized = count
            }
            parameters.append(Parameter(key: key, shape: shape, values: values))
        }
        guard reader.offset == reader.limit else {
            throw .malformed("\(reader.limit - reader.offset) unexpected bytes after the parameters, at offset \(reader.offset)")
        }
        let computed = fnv1a64(body)
        guard computed == stored else { throw .checksumMismatch(stored: stored, computed: computed) }
        self.configuration = configuration
        self.parameters = parameters
    }
}

/// FNV-1a, 64 bits: a simple, well-known checksum that catches flipped bytes.
func fnv1a64(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    return hash
}

/// Appends little-endian integers.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func append<Value: FixedWidthInteger>(_ value: Value) {
        // Safe: the bytes are copied out inside the closure.
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Reads little-endian integers, throwing `.truncated` instead of reading past `limit`.
struct ByteReader {
    let bytes: [UInt8]
    var offset = 0
    var limit: Int

    init(bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
        self.limit = bytes.count
    }

    /// The next `count` bytes of `field` (named in the error when the file ends first).
    mutating func read(count: Int, _ field: @autoclosure () -> String) throws(CheckpointError) -> [UInt8] {
        guard count >= 0, count <= limit - offset else {
            throw .truncated(field: field(), expectedBytes: offset + max(count, 0) + (bytes.count - limit), found: bytes.count)
        }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func readUInt32(_ field: @autoclosure () -> String) throws(CheckpointError) -> UInt32 {
        let raw = try read(count: 4, field())
        return raw.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func readUInt64(_ field: @autoclosure () -> String) throws(CheckpointError) -> UInt64 {
        let raw = try read(count: 8, field())
        return raw.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A UInt64 length or extent that must fit in an `Int` and in the remaining bytes' scale.
    mutating func readLength(_ field: @autoclosure () -> String) throws(CheckpointError) -> Int {
        let value = try readUInt64(field())
        guard value <= UInt64(Int32.max) else {
            throw .malformed("\(field()) at offset \(offset - 8) is \(value), more than \(Int32.max)")
        }
        return Int(value)
    }
}
