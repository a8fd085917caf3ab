import SeededRandom
import Tasks
import Testing

@Suite struct TaskCatalogTests {
    @Test(arguments: TaskCatalog.taskNames, TaskCatalog.presetNames)
    func everyTaskAndPresetBuildsATaskWithThatName(name: String, preset: String) throws {
        let task = try TaskCatalog.task(named: name, preset: preset)
        #expect(task.name == name)
        #expect(task.vocabulary.first == "?")
        #expect(Set(task.vocabulary).count == task.vocabulary.count)
        #expect(task.minimumSize >= 1 && task.minimumSize <= task.size)
        let configuration = try TaskCatalog.configuration(task: name, preset: preset)
        #expect(TaskConfiguration(of: task) == configuration)
        #expect(configuration.taskName == name)
        #expect(configuration.problem == nil)
        #expect(TaskCatalog.summary(of: name) != nil)
    }

    @Test(arguments: TaskCatalog.taskNames)
    func presetsGrowFromTinyToPaperAndPaperHas64Elements(name: String) throws {
        let sizes = try TaskPreset.allCases.map { try TaskCatalog.task(named: name, preset: $0.rawValue).size }
        #expect(sizes[0] >= 4 && sizes[0] <= 6)
        #expect(sizes[1] >= 8 && sizes[1] <= 16)
        #expect(sizes[2] == 64)
    }

    @Test func unknownTaskThrowsWithTheAvailableNames() {
        #expect(throws: TaskLookupError.unknownTask(name: "sorting", available: TaskCatalog.taskNames)) {
            try TaskCatalog.task(named: "sorting")
        }
        let message = TaskLookupError.unknownTask(name: "sorting", available: TaskCatalog.taskNames).description
        #expect(message == "unknown task \"sorting\"; available tasks: permutation, assignments, wildcard, shortest-path, union-find (see `ida tasks`)")
    }

    @Test func unknownPresetThrowsWithTheAvailableNames() {
        #expect(throws: TaskLookupError.unknownPreset(name: "huge", available: ["tiny", "small", "paper"])) {
            try TaskCatalog.task(named: "permutation", preset: "huge")
        }
        #expect(TaskLookupError.unknownPreset(name: "huge", available: ["tiny", "small", "paper"]).description
            == "unknown preset \"huge\"; available presets: tiny, small, paper")
    }

    @Test func invalidConfigurationMakesTaskTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = TaskConfiguration.wildcard(WildcardSearchConfiguration(size: 0)).makeTask()
        }
    }
}
