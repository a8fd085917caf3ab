@testable import IDACommand
import SeededRandom
import Tasks
import Testing

@Suite struct ValidateCommandTests {
    static func sampled(_ task: String, seed: UInt64, count: Int) throws -> String {
        let command = try #require(try IDA.parseAsRoot(["sample", "--task", task, "--preset", "tiny", "--count", "\(count)"]) as? SampleCommand)
        return try command.lines(seed: seed)
    }

    @Test func sampledFileIsWellFormedAndAgreesWithTheGroundTruth() throws {
        let text = try Self.sampled("permutation", seed: 1, count: 2) + Self.sampled("wildcard", seed: 2, count: 1)
        #expect(try ValidateCommand.report(text, name: "mixed.jsonl") == """
            mixed.jsonl: 3 instances, all lines well-formed
              permutation: 2 instances, 10 questions; answers given 10, differing from the ground truth 0; depths given 10, differing 0
              wildcard: 1 instances, 6 questions; answers given 6, differing from the ground truth 0; depths given 6, differing 0

            """)
    }

    @Test func alteredAnswersAndDepthsAreCounted() throws {
        var records = try InstanceFile.read(try Self.sampled("union-find", seed: 3, count: 1))
        records[0].answers?[0] = [0]
        records[0].depths?[1] = 99
        let report = try ValidateCommand.report(InstanceFile.write(records), name: "f")
        #expect(report.contains("differing from the ground truth 1; depths given 6, differing 1"))
    }

    @Test func malformedLineThrowsItsLineNumber() throws {
        let text = try Self.sampled("wildcard", seed: 2, count: 1) + "{\"format\":\"ida-instances\"}\n"
        #expect(throws: InstanceFileError(line: 2, problem: .missingField("version"))) {
            try ValidateCommand.report(text, name: "f")
        }
    }
}
