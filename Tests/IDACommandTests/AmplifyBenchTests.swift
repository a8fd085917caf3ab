@testable import IDACommand
import Tasks
import Testing

@Suite struct AmplifyBenchTests {
    static func parse(_ arguments: [String]) throws -> AmplifyBench {
        try #require(try IDA.parseAsRoot(arguments) as? AmplifyBench)
    }

    /// The benchmark's two evaluations agree (no timing is asserted: that is the benchmark's job).
    @Test(arguments: TaskCatalog.taskNames)
    func engineAndReferenceAgree(taskName: String) async throws {
        let bench = try Self.parse(["bench", "amplify", "--preset", "tiny", "--count", "2", "--seconds", "0.001"])
        let row = try await bench.measure(try TaskCatalog.task(named: taskName, preset: "tiny"))
        #expect(row.task == taskName)
        #expect(row.answersAgree)
        #expect(row.actionsPerRun > 0)
        #expect(row.supervisorActionsPerSecond > 0 && row.referenceActionsPerSecond > 0)
    }

    @Test func unknownTaskFailsInOneLine() throws {
        let run = try EndToEndTests.ida(["bench", "amplify", "--tasks", "permutation,nope"])
        #expect(run.status != 0)
        #expect(run.standardOutput.isEmpty)
        #expect(run.standardError.split(separator: "\n").count == 1)
    }
}
