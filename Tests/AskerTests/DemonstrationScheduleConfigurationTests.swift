import Asker
import Foundation
import Testing

@Suite struct DemonstrationScheduleConfigurationTests {
    @Test(arguments: [DemonstrationScheduleConfiguration.tiny, .small, .paper])
    func presetsBuildASchedule(configuration: DemonstrationScheduleConfiguration) throws {
        let schedule = DemonstrationSchedule(configuration: configuration)
        #expect(schedule.needed == Double(configuration.initialDemonstrations))
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(DemonstrationScheduleConfiguration.self, from: data) == configuration)
    }

    @Test func paperPresetIsTheReferenceRule() {
        let paper = DemonstrationScheduleConfiguration.paper
        #expect(paper.initialDemonstrations == 500 && paper.batchSize == 50 && paper.horizonScale == 3000)
        #expect(paper.firstLossThreshold == 0.1 && paper.secondLossThreshold == 0.01)
    }

    @Test func thresholdsOutOfOrderTrap() async {
        await #expect(processExitsWith: .failure) {
            _ = DemonstrationSchedule(configuration: DemonstrationScheduleConfiguration(firstLossThreshold: 0.01, secondLossThreshold: 0.1))
        }
    }
}
