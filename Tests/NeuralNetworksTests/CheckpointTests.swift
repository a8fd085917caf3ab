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
            .truncated(expectedBytes: 10, found: 3), .foreignFile(magic: [1, 2]),
            .unsupportedVersion(found: 9, expected: 1), .checksumMismatch(stored: 1, computed: 2),
            .malformed("x"), .unreadableConfiguration("y"), .incompatible("z"),
        ]
        for error in errors {
            #expect(!error.description.contains("\n"))
            #expect(error.description.contains("hint:"))
        }
    }

    @Test func mismatchedParameterTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Checkpoint.Parameter(key: "w", shape: [2, 2], values: [1, 2, 3])
        }
    }
}
