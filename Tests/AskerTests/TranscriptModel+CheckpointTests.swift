@testable import Asker
import NeuralNetworks
import Tasks
import Testing

@Suite struct TranscriptModelCheckpointTests {
    @Test(arguments: [(1, 2), (7, 3)] as [(UInt64, UInt64)])
    func parametersLoadIntoAnotherModelBitForBit(source: UInt64, target: UInt64) throws {
        let a = Fixtures.model(seed: source)
        let b = Fixtures.model(seed: target)
        #expect(a.parameterCheckpoint() != b.parameterCheckpoint())
        let bytes = a.parameterCheckpoint().serialized()
        try b.loadParameters(Checkpoint(bytes: bytes))
        #expect(b.parameterCheckpoint() == a.parameterCheckpoint())
    }

    @Test func anotherLayoutIsRejectedAndNothingChanges() throws {
        let model = Fixtures.model(seed: 1)
        let before = model.parameterCheckpoint()
        let other = Fixtures.model(seed: 2, layout: TranscriptLayout(task: WildcardSearch(.tiny)))
        #expect(throws: CheckpointError.self) { try model.loadParameters(other.parameterCheckpoint()) }
        #expect(model.parameterCheckpoint() == before)
    }

    /// Weights saved before H′ read transcripts without their padding rounds (no reading mark in
    /// the configuration text) are refused, saying why, and nothing changes.
    @Test func weightsSavedByABuildThatReadThePaddingAreRefused() throws {
        let model = Fixtures.model(seed: 1)
        let before = model.parameterCheckpoint()
        let old = Fixtures.model(seed: 2).parametersCheckpoint(configuration: Array("\(model.layout) \(model.configuration)".utf8))
        #expect {
            try model.loadParameters(old)
        } throws: { error in
            "\(error)".contains("padding rounds")
        }
        #expect(model.parameterCheckpoint() == before)
    }
}
