import Foundation
import Testing

@testable import NeuralNetworks

@Suite struct AnswererConfigurationTests {
    @Test(arguments: ["tiny", "small", "medium", "paper"])
    func presetsAreValidAndRoundTripThroughJSON(name: String) throws {
        let preset = try #require(AnswererConfiguration.presets[name])
        preset.validate()
        #expect(preset.modelDimension % preset.headCount == 0)
        let decoded = try JSONDecoder().decode(AnswererConfiguration.self, from: JSONEncoder().encode(preset))
        #expect(decoded == preset)
    }

    @Test func presetsMatchTheDesign() {
        #expect(AnswererConfiguration.tiny.modelDimension == 32 && AnswererConfiguration.tiny.factLayerCount == 1)
        #expect(AnswererConfiguration.small.modelDimension == 64 && AnswererConfiguration.small.factLayerCount == 2)
        #expect(AnswererConfiguration.small.questionLayerCount == 1)
        #expect(AnswererConfiguration.medium.modelDimension == 4 * AnswererConfiguration.small.modelDimension)
        let paper = AnswererConfiguration.paper
        #expect(paper.modelDimension == 512 && paper.headCount == 8 && paper.factLayerCount == 6)
        #expect(paper.questionLayerCount == 3 && paper.tokenEmbeddingDimension == 100)
    }

    @Test func indivisibleHeadCountTraps() async {
        await #expect(processExitsWith: .failure) {
            AnswererConfiguration(modelDimension: 30, headCount: 4).validate()
        }
    }

    @Test func emptyVocabularyTraps() async {
        await #expect(processExitsWith: .failure) {
            TaskDimensions(vocabularySize: 1, factLength: 2, questionLength: 2, answerLength: 1).validate()
        }
    }
}
