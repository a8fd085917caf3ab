@testable import IDACommand
import Tasks
import Testing

@Suite struct TraceCommandTests {
    static func parse(_ arguments: [String]) throws -> TraceCommand {
        try #require(try IDA.parseAsRoot(arguments) as? TraceCommand)
    }

    @Test func seededTraceIsExactlyThis() async throws {
        let command = try Self.parse(
            ["trace", "--task", "permutation", "--preset", "tiny", "--seed", "2", "--depth", "0", "--question", "1"])
        #expect(try await command.output(seed: 2) == Self.permutationTinySeed2)
    }

    static let permutationTinySeed2 = """
        permutation (size 5), seed 2: facts
          c d
          d e
          b a
          e c
          a b
        question 1: d 0 1 0 (depth 0), HCH_0, ground truth c

        d 0 1 0 → c   [expert: 3 actions; subtree 3 actions, 2 leaf lookups]
          d 0 0 1 → e   [leaf lookup]
          e 0 0 1 → c   [leaf lookup]

        answer c: correct
        supervisor actions 3, leaf lookups 2, assistant calls 0 (0 questions), ground truth 0, loops 0, budget 0, rejected 0
        """

    /// By default the deepest question, at its own depth: always answered correctly.
    @Test(arguments: TaskCatalog.taskNames, [UInt64(1), 2, 3])
    func defaultTraceAnswersItsQuestionCorrectly(taskName: String, seed: UInt64) async throws {
        let command = try Self.parse(["trace", "--task", taskName, "--preset", "small", "--seed", "\(seed)"])
        let text = try await command.output(seed: seed)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains { $0.hasPrefix("answer ") && $0.hasSuffix(": correct") })
        #expect(text.contains("ground truth 0, loops 0, budget 0"))
    }

    @Test func questionOutsideTheInstanceFails() async throws {
        let command = try Self.parse(["trace", "--task", "permutation", "--preset", "tiny", "--question", "99"])
        await #expect(throws: TraceCommand.Problem.self) {
            try await command.output(seed: 1)
        }
    }

    @Test func unknownTaskFailsInOneLine() throws {
        let run = try EndToEndTests.ida(["trace", "--task", "nope"])
        #expect(run.status != 0)
        #expect(run.standardError.split(separator: "\n").count == 1)
        #expect(run.standardError.contains("unknown task \"nope\""))
    }
}
