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

    /// A configuration stored before H′ could defer (`pausesWhenAccurate`, an integer pace)
    /// decodes to the behaviour it was run with: pausing below the second threshold, or never,
    /// and no deferral.
    @Test(arguments: [true, false])
    func aConfigurationStoredBeforeDeferralDecodesAsItRan(pauses: Bool) throws {
        var object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(AskerConfiguration.small)) as? [String: Any])
        object["pauseLoss"] = nil
        object["deferralProbability"] = nil
        object["pausesWhenAccurate"] = pauses
        object["stepsPerAnswererStep"] = 1
        let decoded = try JSONDecoder().decode(AskerConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(decoded.pauseLoss == (pauses ? AskerConfiguration.small.schedule.secondLossThreshold : nil))
        #expect(decoded.deferralProbability == nil && decoded.stepsPerAnswererStep == 1)
        #expect(decoded.model == AskerConfiguration.small.model && decoded.leadSteps == AskerConfiguration.small.leadSteps)
    }
}
