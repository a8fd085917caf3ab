import Tasks
import Testing

@Suite struct TaskDetailsTests {
    @Test(arguments: TaskCatalog.taskNames)
    func everyTaskHasFormatsLeavesAndADecomposition(name: String) throws {
        let details = try #require(TaskDetails.of(name))
        #expect(details.formats.contains { $0.hasPrefix("fact") })
        #expect(details.formats.contains { $0.hasPrefix("question") })
        #expect(details.formats.contains { $0.hasPrefix("answer") })
        #expect(!details.leaves.isEmpty && !details.decomposition.isEmpty)
    }

    @Test func unknownTaskHasNoDetails() {
        #expect(TaskDetails.of("sorting") == nil)
    }
}
