@testable import IDACommand
import Tasks
import Testing

@Suite struct TasksCommandTests {
    static func render(_ arguments: [String]) throws -> String {
        let command = try IDA.parseAsRoot(["tasks"] + arguments)
        return try #require(command as? TasksCommand).render()
    }

    @Test func listIsOneLinePerTask() throws {
        #expect(try Self.render([]) == """
            permutation    permutation powering: σ^k(x) for a hidden permutation σ, by halving k
            assignments    sequential assignments: evaluate a variable of x := v / x := f(y, z) programs
            wildcard       wildcard search: sum the ±1 values of the strings that match a pattern with *
            shortest-path  shortest path: distance and first step between two vertices of a random digraph
            union-find     union find: value, parent and depth of a variable in hidden spanning trees

            """)
    }

    @Test func wildcardTinyDescriptionIsExactlyThis() throws {
        #expect(try Self.render(["wildcard", "--preset", "tiny"]) == Self.wildcardTiny)
    }

    @Test(arguments: TaskCatalog.taskNames, TaskCatalog.presetNames)
    func everyDescriptionNamesVocabularyFormatsLeavesExpertPresetsAndExample(name: String, preset: String) throws {
        let text = try Self.render([name, "--preset", preset])
        for heading in ["vocabulary (", "formats:", "leaf questions", "expert:", "presets:", "example (preset \(preset)", "answer "] {
            #expect(text.contains(heading), "\(name) \(preset) lacks \(heading)")
        }
    }

    @Test func helpTextIsExactlyThis() {
        #expect(IDA.helpMessage(for: TasksCommand.self, columns: 100) == """
            OVERVIEW: List the tasks, or describe one: vocabulary, formats, leaves, expert, presets, an
            example.

            Without a name, prints one line per task. With a name, describes it at --preset.

            USAGE: ida tasks [<name>] [--preset <preset>]

            ARGUMENTS:
              <name>                  The task to describe: permutation, assignments, wildcard, shortest-path
                                      or union-find.

            OPTIONS:
              --preset <preset>       The preset the description and the example use: tiny, small or paper.
                                      (default: small)
              -h, --help              Show help information.

            """)
    }

    @Test func unknownTaskOrPresetThrows() throws {
        #expect(throws: TaskLookupError.self) { try Self.render(["sorting"]) }
        #expect(throws: TaskLookupError.self) { try Self.render(["wildcard", "--preset", "huge"]) }
    }

    static let wildcardTiny = """
        wildcard: wildcard search: sum the ±1 values of the strings that match a pattern with *

        vocabulary (11 tokens): ? * a b -3 -2 -1 0 1 2 3
        lengths: fact 4, question 3, answer 1; at most 2 sub-questions per question

        formats:
          fact      s… v             a string and its value ±1
          question  p…               a pattern with 1 or more *
          answer    n                sum of the values of matching strings, clamped

        leaf questions (answered by one lookup in the facts):
          s…          no *: the string's value, 0 when absent

        expert:
          fill the first * with each letter, ask each, answer the clamped sum
          depth = wildcards − 1

        presets:
          tiny   size 6, minimumSize 4, stringLength 3, letterCount 2, sumBound 3
          small  size 16, minimumSize 8, stringLength 4, letterCount 2, sumBound 8
          paper  size 64, minimumSize 8, stringLength 6, letterCount 2, sumBound 32

        example (preset tiny, seed 1, size 4):
          facts:
            b a a 1
            b b a 1
            b b b -1
            b a b -1
          questions → answer (depth):
            a * * → 0 (1)
            * * * → 0 (2)
            * a a → 1 (0)
            * * * → 0 (2)
          the expert on a * *, given correct sub-answers:
            ask a a * → 0
            ask a b * → 0
            answer 0

        """
}
