@testable import IDACommand
import Tasks
import Testing

@Suite struct SampleCommandTests {
    static func parse(_ arguments: [String]) throws -> SampleCommand {
        let command = try IDA.parseAsRoot(arguments)
        return try #require(command as? SampleCommand)
    }

    @Test func seededSampleLineIsExactlyThis() throws {
        let command = try Self.parse(["sample", "--task", "wildcard", "--preset", "tiny", "--count", "1", "--seed", "3"])
        #expect(try command.lines(seed: 3) == Self.wildcardTinySeed3)
    }

    static let wildcardTinySeed3 = """
        {"answers":[["2"],["2"],["2"],["3"],["2"],["2"]],"depths":[2,2,2,1,2,0],"facts":[["a","a","a","-1"],["b","a","b","1"],\
        ["a","a","b","1"],["a","b","b","-1"],["b","a","a","1"],["b","b","a","1"]],"format":"ida-instances",\
        "parameters":{"letterCount":2,"minimumSize":4,"size":6,"stringLength":3,"sumBound":3},"questions":[["*","*","*"],\
        ["*","*","*"],["*","*","*"],["b","*","*"],["*","*","*"],["b","a","*"]],"size":6,"task":"wildcard","version":1}

        """

    @Test(arguments: TaskCatalog.taskNames, [UInt64(1), 7])
    func sampledLinesReadBackWithAnswersAndDepths(task: String, seed: UInt64) throws {
        let command = try Self.parse(["sample", "--task", task, "--preset", "tiny", "--count", "3", "--seed", "\(seed)"])
        let text = try command.lines(seed: seed)
        let records = try InstanceFile.read(text)
        #expect(records.count == 3)
        #expect(records.allSatisfy { $0.answers?.count == $0.instance.questions.count && $0.depths != nil })
        #expect(try command.lines(seed: seed) == text)
    }

    @Test func sizeOptionSetsTheInstanceSize() throws {
        let command = try Self.parse(["sample", "--task", "union-find", "--preset", "small", "--size", "7", "--seed", "2"])
        let records = try InstanceFile.read(try command.lines(seed: 2))
        #expect(records.map(\.instance.size) == [7])
    }

    static let badInput: [([String], String)] = [
        (["--task", "sorting"], "unknown task \"sorting\"; available tasks: permutation, assignments, wildcard, shortest-path, union-find (see `ida tasks`)"),
        (["--task", "wildcard", "--preset", "huge"], "unknown preset \"huge\"; available presets: tiny, small, paper"),
        (["--task", "wildcard", "--count", "0"], "--count must be at least 1, got 0"),
        (["--task", "wildcard", "--preset", "tiny", "--size", "9"], "--size 9 is impossible for preset tiny; choose 4...6"),
    ]

    @Test(arguments: badInput)
    func badInputThrowsOneLineError(arguments: [String], message: String) throws {
        let command = try Self.parse(["sample"] + arguments)
        do {
            _ = try command.lines(seed: 1)
            Issue.record("accepted \(arguments)")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func helpTextIsExactlyThis() {
        #expect(IDA.helpMessage(for: SampleCommand.self, columns: 100) == """
            OVERVIEW: Write sampled instances with answers and depths as JSON Lines.

            Each line is one instance in the format of Documentation/InstanceFormat.md: the task, its
            parameters, the facts, the questions, and their ground-truth answers and depths. Equal seeds give
            equal files.

            USAGE: ida sample --task <task> [--preset <preset>] [--count <count>] [--size <size>] [--seed <seed>] [--output <output>]

            OPTIONS:
              --task <task>           The task: permutation, assignments, wildcard, shortest-path or union-find.
              --preset <preset>       The preset: tiny, small or paper. (default: small)
              --count <count>         Instances to write. (default: 1)
              --size <size>           Elements per instance, from the preset's minimum size to its size
                                      (default: the size).
              --seed <seed>           The seed (chosen and printed on stderr when omitted).
              --output <output>       The file to write (default: standard output).
              -h, --help              Show help information.

            """)
    }
}
