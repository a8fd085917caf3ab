import SeededRandom
import Tasks
import Testing

@Suite struct TaskConfigurationTests {
    @Test(arguments: TaskCatalog.taskNames, TaskPreset.allCases)
    func configurationRoundTripsThroughItsTask(name: String, preset: TaskPreset) throws {
        let configuration = try TaskCatalog.configuration(task: name, preset: preset)
        let task = configuration.makeTask()
        #expect(TaskConfiguration(of: task) == configuration)
        #expect(configuration.size == task.size)
        #expect(configuration.taskName == task.name)
    }

    @Test func invalidParametersAreReportedNotBuilt() {
        let configuration = TaskConfiguration.shortestPath(ShortestPathConfiguration(size: 8, minimumSize: 9))
        #expect(configuration.problem == "need 1 ≤ minimumSize ≤ size, got 9 and 8")
    }
}
