import PropertyBased
import Testing

@testable import NeuralNetworks

@Suite struct CheckpointTests {
    static let sample = Checkpoint(
        configuration: Array(#"{"a":1}"#.utf8),
        parameters: [
            .init(key: "w", shape: [2, 3], values: [1, -2, 3.5, .pi, -0.0, .leastNonzeroMagnitude]),
            .init(key: "b", shape: [3], values: [0, 1e-30, -7]),
            .init(key: "s", shape: [], values: [42]),
        ])

    @Test func roundTripIsBitExact() throws {
        let bytes = Self.sample.serialized()
        let restored = try Checkpoint(bytes: bytes)
        #expect(restored.serialized() == bytes)
        #expect(restored == Self.sample)
    }

    @Test func randomParametersRoundTripBitForBit() async {
        await propertyCheck(input: Gen.float(in: -1e6...1e6).array(of: 0...40)) { values in
            let checkpoint = Checkpoint(configuration: [123], parameters: [.init(key: "x", shape: [values.count], values: values)])
            let bytes = checkpoint.serialized()
            let restored = try? Checkpoint(bytes: bytes)
            #expect(restored?.serialized() == bytes)
            #expect(restored?.parameters.first?.values.map(\.bitPattern) == values.map(\.bitPattern))
        }
    }

    @Test func headerStartsWithMagicAndVersion() {
        let bytes = Self.sample.serialized()
        #expect(Array(bytes[0..<8]) == Array("IDACKPT".utf8) + [0])
        #expect(Array(bytes[8..<12]) == [1, 0, 0, 0])
    }

    @Test(arguments: [0, 5, 11, 20, 40, 80])
    func truncatedFileThrowsTruncated(length: Int) {
        let bytes = Array(Self.sample.serialized().prefix(length))
        #expect(throws: CheckpointError.self) { try Checkpoint(bytes: bytes) }
        do {
            _ = try Checkpoint(bytes: bytes)
        } catch {
            if case .truncated = error {} else { Issue.record("expected .truncated, got \(error)") }
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func everyStrictPrefixIsRejected() {
        let bytes = Self.sample.serialized()
        for length in 0..<bytes.count {
            #expect(throws: CheckpointError.self) { try Checkpoint(bytes: Array(bytes.prefix(length))) }
        }
    }

    @Test func foreignFileThrowsForeignFile() {
        let bytes = Array("PK\u{3}\u{4} this is a zip file, not a checkpoint".utf8)
        #expect(throws: CheckpointError.foreignFile(magic: Array(bytes[0..<8]))) { try Checkpoint(bytes: bytes) }
    }

    @Test func newerVersionThrowsUnsupportedVersion() {
        var bytes = Self.sample.serialized()
        bytes[8] = 2
        #expect(throws: CheckpointError.unsupportedVersion(found: 2, expected: 1)) { try Checkpoint(bytes: bytes) }
    }

    @Test(arguments: [30, 45, 60])
    func flippedByteIsDetected(offset: Int) {
        var bytes = Self.sample.serialized()
        bytes[offset] ^= 0x10
        #expect(throws: CheckpointError.self) { try Checkpoint(bytes: bytes) }
    }

    @Test func errorsAreOneLineWithAHint() {
        let errors: [CheckpointError] = [
            .truncated(field: "the checksum", expectedBytes: 10, found: 3), .foreignFile(magic: [1, 2]),
            .unsupportedVersion(found: 9, expected: 1), .checksumMismatch(stored: 1, computed: 2),
            .malformed("x"), .unreadableConfiguration("y"), .incompatible("z"),
        ]
        for error in errors {
            #expect(!error.description.contains("\n"))
            #expect(error.description.contains("hint:"))
        }
    }

    /// A checkpoint file with one parameter written field by field (any shape, no values) and
    /// a correct checksum: what a hand-made file can hold that `serialized()` never writes.
    static func rawFile(key: [UInt8], shape: [UInt64], valueBytes: Int = 0) -> [UInt8] {
        var out = ByteWriter()
        out.bytes += Checkpoint.magic
        out.append(Checkpoint.formatVersion)
        out.append(UInt64(0))
        out.append(UInt32(1))
        out.append(UInt32(key.count))
        out.bytes += key
        out.append(UInt32(shape.count))
        for extent in shape { out.append(extent) }
        out.bytes += [UInt8](repeating: 0, count: valueBytes)
        out.append(fnv1a64(out.bytes[...]))
        return out.bytes
    }

    // Found while writing CheckpointFuzzTests: two extents below 2^31 whose product times 4
    // bytes overflows an Int trapped before the length was compared with the file.
    @Test func aShapeWhoseByteCountOverflowsIsMalformed() {
        let bytes = Self.rawFile(key: Array("w".utf8), shape: [0x7FFF_FFFF, 0x7FFF_FFFF])
        #expect(throws: CheckpointError.malformed("parameter w has shape [2147483647, 2147483647], too many values for any file")) {
            try Checkpoint(bytes: bytes)
        }
    }

    @Test func aHugeExtentNamesItsFieldAndOffset() {
        let bytes = Self.rawFile(key: Array("w".utf8), shape: [1, UInt64.max])
        #expect(throws: CheckpointError.malformed("extent 1 of parameter w at offset 41 is 18446744073709551615, more than 2147483647")) {
            try Checkpoint(bytes: bytes)
        }
    }

    @Test func truncationNamesTheFieldItCutsAndAKeyStaysOnOneLine() {
        let bytes = Self.rawFile(key: Array("a\nb".utf8), shape: [3], valueBytes: 8)
        #expect(throws: CheckpointError.truncated(field: #"the values of parameter a\nb"#, expectedBytes: 63, found: 59)) {
            try Checkpoint(bytes: bytes)
        }
    }

    @Test func mismatchedParameterTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Checkpoint.Parameter(key: "w", shape: [2, 2], values: [1, 2, 3])
        }
    }
}
