import Foundation
import Testing

@testable import NeuralNetworks

@Suite struct TranscriptModelConfigurationTests {
    @Test(arguments: ["tiny", "small", "paper"])
    func presetsAreValidAndRoundTripThroughJSON(name: String) throws {
        let configuration = try #require(TranscriptModelConfiguration.presets[name])
        configuration.validate()
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(TranscriptModelConfiguration.self, from: data) == configuration)
    }

    @Test func paperPresetIsTheReferenceSize() {
        let paper = TranscriptModelConfiguration.paper
        #expect(paper.modelDimension == 128 && paper.headCount == 4 && paper.layerCount == 4)
    }

    @Test func widthNotDividedByHeadsTraps() async {
        await #expect(processExitsWith: .failure) {
            TranscriptModelConfiguration(modelDimension: 10, headCount: 4).validate()
        }
    }
}
