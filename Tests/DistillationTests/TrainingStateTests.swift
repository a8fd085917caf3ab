import Distillation
import Tasks
import Testing

@Suite struct TrainingStateTests {
    @Test(arguments: [TargetSource.amplification, .groundTruth])
    func serialisationRoundTripsByteForByte(targets: TargetSource) async throws {
        let distiller = try Distiller(
            task: PermutationPowering(.tiny), configuration: TestFixtures.configuration(steps: 6), targets: targets, seed: 2)
        _ = try await distiller.run()
        let bytes = try distiller.state().serialized()
        let state = try TrainingState(bytes: bytes)
        #expect(try state.serialized() == bytes)
        #expect(state.step == 6)
        #expect(state.targets == targets)
        let resumed = try Distiller(task: PermutationPowering(.tiny), resuming: state)
        #expect(try resumed.state().serialized() == bytes)
    }

    @Test(arguments: [[UInt8](), Array("not json".utf8), Array("{\"formatVersion\":1}".utf8)])
    func malformedBytesThrowUnreadable(bytes: [UInt8]) {
        #expect(throws: DistillationError.self) { _ = try TrainingState(bytes: bytes) }
    }

    // `ida eval --checkpoint FILE` reads a file without the checkpoint magic as a training
    // state: 513 opening brackets that end it trapped inside Foundation's JSONDecoder (found by
    // InstanceFileFuzzTests in the instance reader, which uses the same decoder).
    @Test func deeplyNestedBytesAreUnreadableNotATrap() {
        #expect(throws: DistillationError.unreadableState("arrays and objects nest deeper than 64 levels")) {
            _ = try TrainingState(bytes: Array(String(repeating: "[", count: 513).utf8))
        }
    }

    @Test func newerFormatVersionIsIncompatible() throws {
        let distiller = try Distiller(task: PermutationPowering(.tiny), configuration: .tiny, seed: 1)
        var state = distiller.state()
        state.formatVersion = TrainingState.currentFormatVersion + 1
        let bytes = try state.serialized()
        #expect {
            _ = try TrainingState(bytes: bytes)
        } throws: { error in
            guard case DistillationError.incompatibleState = error else { return false }
            return true
        }
    }

    @Test func damagedModelIsIncompatible() throws {
        var state = try Distiller(task: PermutationPowering(.tiny), configuration: .tiny, seed: 1).state()
        state.student = state.student.prefix(20)
        #expect(throws: DistillationError.self) {
            _ = try Distiller(task: PermutationPowering(.tiny), resuming: state)
        }
    }
}
