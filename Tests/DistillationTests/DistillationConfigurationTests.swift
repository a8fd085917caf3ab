import Distillation
import Foundation
import Testing

@Suite struct DistillationConfigurationTests {
    static let presets: [(String, DistillationConfiguration)] = [("tiny", .tiny), ("small", .small), ("paper", .paper)]

    @Test(arguments: ["tiny", "small", "paper"])
    func presetsAreValidAndReuseEachTargetAboutTenTimes(name: String) throws {
        let configuration = try #require(DistillationConfiguration.presets[name])
        #expect(configuration.problem == nil)
        #expect(configuration.expectedUses >= 8 && configuration.expectedUses <= 12, "\(configuration.expectedUses)")
        #expect(configuration.optimizer.beta2 == 0.98)
        #expect(configuration.optimizer.gradientClipNorm == 1)
    }

    @Test(arguments: ["tiny", "small", "paper"])
    func codableRoundTripIsExact(name: String) throws {
        let configuration = try #require(DistillationConfiguration.presets[name])
        let decoded = try JSONDecoder().decode(
            DistillationConfiguration.self, from: JSONEncoder().encode(configuration))
        #expect(decoded == configuration)
    }

    @Test func problemsNameTheFieldAtFault() {
        var configuration = DistillationConfiguration.small
        configuration.bufferCapacity = 4
        #expect(configuration.problem?.contains("bufferCapacity") == true)
        configuration = .small
        configuration.curriculum.threshold = 2
        #expect(configuration.problem?.contains("threshold") == true)
        configuration = .small
        configuration.rounds.roundCount = 0
        #expect(configuration.problem?.contains("rounds") == true)
        configuration = .small
        configuration.evaluation.instanceCount = -1
        #expect(configuration.problem?.contains("instanceCount") == true)
    }
}
