import Asker
import Foundation
import Testing

@Suite struct AskerTrainingConfigurationTests {
    @Test(arguments: [AskerTrainingConfiguration.tiny, .small, .paper])
    func presetsBuildATrainerAndRoundTrip(configuration: AskerTrainingConfiguration) throws {
        let trainer = AskerTrainer(model: Fixtures.model(seed: 1), configuration: configuration, seed: 1)
        #expect(!trainer.isReady)
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(AskerTrainingConfiguration.self, from: data) == configuration)
    }

    @Test func paperPresetIsTheReferences() {
        let paper = AskerTrainingConfiguration.paper
        #expect(paper.batchSize == 50 && paper.bufferCapacity == 100_000 && paper.minimumBuffered == 250)
        #expect(paper.adam.learningRate == 1e-5)
    }
}
