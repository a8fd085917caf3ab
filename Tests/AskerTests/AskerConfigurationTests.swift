import Asker
import Foundation
import Testing

@Suite struct AskerConfigurationTests {
    @Test(arguments: ["tiny", "small", "paper"])
    func presetsRoundTripThroughJSON(name: String) throws {
        let configuration = try #require(AskerConfiguration.presets[name])
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(AskerConfiguration.self, from: data) == configuration)
        #expect(configuration.stepsPerAnswererStep > 0 && configuration.leadSteps > 0)
    }
}
