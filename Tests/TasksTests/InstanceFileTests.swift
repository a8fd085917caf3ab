import SeededRandom
import Tasks
import Testing

@Suite struct InstanceFileTests {
    static let configurations: [TaskConfiguration] = TaskCatalog.taskNames.flatMap { name in
        TaskPreset.allCases.compactMap { try? TaskCatalog.configuration(task: name, preset: $0) }
    }

    static func sample(_ configuration: TaskConfiguration, seed: UInt64, count: Int) -> [InstanceRecord] {
        let task = configuration.makeTask()
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { index in
            let size = index.isMultiple(of: 2) ? task.size : task.minimumSize
            return InstanceRecord.labelled(task.makeInstance(size: size, using: &rng), configuration: configuration)
        }
    }

    @Test(arguments: configurations, [UInt64(1), 2])
    func writeThenReadGivesTheSameRecords(configuration: TaskConfiguration, seed: UInt64) throws {
        let records = Self.sample(configuration, seed: seed, count: 3)
        let text = InstanceFile.write(records)
        #expect(text.split(separator: "\n").count == 3)
        #expect(try InstanceFile.read(text) == records)
    }

    @Test func recordsWithoutAnswersRoundTripAndBlankLinesAreSkipped() throws {
        let configuration = TaskConfiguration.wildcard(.tiny)
        var record = Self.sample(configuration, seed: 3, count: 1)[0]
        record.answers = nil
        record.depths = nil
        let text = "\n" + InstanceFile.line(for: record) + "\n\n"
        #expect(try InstanceFile.read(text) == [record])
        #expect(!InstanceFile.line(for: record).contains("answers"))
    }

    @Test func lineStartsWithFormatAndVersionFieldsAndUsesTokenStrings() {
        let record = Self.sample(.permutation(.tiny), seed: 4, count: 1)[0]
        let line = InstanceFile.line(for: record)
        #expect(line.contains("\"format\":\"ida-instances\""))
        #expect(line.contains("\"version\":1"))
        #expect(line.contains("\"task\":\"permutation\""))
        #expect(line.contains("\"parameters\":{\"exponentBits\":3,\"letterCount\":5,\"minimumSize\":4,\"nameLength\":1,\"size\":5}"))
    }

    /// A valid tiny permutation line with one field replaced.
    static func line(replacing field: String, with value: String) -> String {
        let fields: [(String, String)] = [
            ("format", "\"ida-instances\""), ("version", "1"), ("task", "\"permutation\""),
            ("parameters", "{\"exponentBits\":3,\"letterCount\":5,\"minimumSize\":4,\"nameLength\":1,\"size\":5}"),
            ("size", "2"), ("facts", "[[\"a\",\"b\"],[\"b\",\"a\"]]"),
            ("questions", "[[\"a\",\"1\",\"0\",\"1\"],[\"b\",\"0\",\"1\",\"0\"]]"),
            ("answers", "[[\"b\"],[\"b\"]]"), ("depths", "[1,0]"),
        ]
        let body = fields.compactMap { key, original -> String? in
            let chosen = key == field ? value : original
            return chosen.isEmpty ? nil : "\"\(key)\":\(chosen)"
        }
        return "{" + body.joined(separator: ",") + "}"
    }

    @Test func theValidLineReads() throws {
        let records = try InstanceFile.read(Self.line(replacing: "", with: ""))
        #expect(records.count == 1)
        #expect(records[0].instance.facts.count == 2)
    }

    static let malformed: [(field: String, value: String, message: String)] = [
        ("format", "\"something-else\"", "line 2: format is \"something-else\", expected \"ida-instances\""),
        ("version", "2", "line 2: version 2 is not supported (this ida reads version 1); upgrade ida or re-sample the file"),
        ("version", "\"one\"", "line 2: field \"version\" has the wrong type"),
        ("task", "\"sorting\"", "line 2: unknown task \"sorting\"; available tasks: permutation, assignments, wildcard, shortest-path, union-find"),
        ("parameters", "{\"exponentBits\":3,\"letterCount\":5,\"minimumSize\":4,\"nameLength\":1,\"size\":9}",
         "line 2: invalid parameters: size 9 exceeds the 5 names of 1 letters from 5"),
        ("parameters", "{\"exponentBits\":3,\"letterCount\":26,\"minimumSize\":4,\"nameLength\":4,\"size\":5}",
         "line 2: invalid parameters: 26^4 = 456976 names; at most 65,536 are supported"),
        ("parameters", "{\"exponentBits\":3}", "line 2: missing field \"parameters.size\""),
        ("size", "0", "line 2: size 0 outside 1...5"),
        ("facts", "", "line 2: missing field \"facts\""),
        ("facts", "[]", "line 2: facts is empty"),
        ("facts", "[[\"a\",\"b\",\"c\"]]", "line 2: facts[0] has 3 tokens, expected 2"),
        ("facts", "[[\"a\",\"b\"],[\"b\",\"z\"]]", "line 2: facts[1] holds unknown token \"z\""),
        ("questions", "[[\"a\",\"1\",\"0\"]]", "line 2: questions[0] has 3 tokens, expected 4"),
        ("questions", "[[\"a\",\"1\",\"0\",2]]", "line 2: field \"questions[0][3]\" has the wrong type"),
        ("answers", "[[\"b\"]]", "line 2: answers has 1 entries, expected 2 (one per question)"),
        ("answers", "[[\"b\"],[\"b\",\"a\"]]", "line 2: answers[1] has 2 tokens, expected 1"),
        ("depths", "[1]", "line 2: depths has 1 entries, expected 2 (one per question)"),
        ("depths", "[1,-1]", "line 2: depths[1] is -1, expected 0 or more"),
        // Found by InstanceFileFuzzTests: text from the file is escaped, so a message stays one line.
        ("format", #""line\nbreak""#, #"line 2: format is "line\nbreak", expected "ida-instances""#),
        ("task", #""\r\npermutation""#,
         #"line 2: unknown task "\r\npermutation"; available tasks: permutation, assignments, wildcard, shortest-path, union-find"#),
        ("facts", #"[["a","\u2028b"],["b","a"]]"#, #"line 2: facts[0] holds unknown token "\u{2028}b""#),
        ("facts", #"[["a","\"\\"],["b","a"]]"#, #"line 2: facts[0] holds unknown token "\"\\""#),
    ]

    @Test(arguments: malformed)
    func malformedLineIsRejectedWithItsLineNumberAndProblem(field: String, value: String, message: String) {
        let text = Self.line(replacing: "", with: "") + "\n" + Self.line(replacing: field, with: value) + "\n"
        #expect(throws: InstanceFileError.self) { try InstanceFile.read(text) }
        do {
            _ = try InstanceFile.read(text)
        } catch {
            #expect(error.line == 2)
            #expect(error.description == message)
        }
    }

    // Found by InstanceFileFuzzTests: a line that ends with the bracket taking it past 512
    // levels trapped inside Foundation's JSONDecoder while it located the error.
    @Test(arguments: [#"{"facts":"# + String(repeating: "[", count: 512), String(repeating: "[", count: 513)])
    func deeplyNestedLineIsRejectedNotATrap(text: String) {
        #expect(throws: InstanceFileError(line: 1, problem: .invalidJSON("arrays and objects nest deeper than 32 levels"))) {
            try InstanceFile.read(text)
        }
    }

    @Test(arguments: ["{\"format\": ", "[1, 2]", "not json at all"])
    func nonJSONLineIsRejected(text: String) {
        do {
            _ = try InstanceFile.read(text)
            Issue.record("read accepted \(text)")
        } catch {
            #expect(error.line == 1)
            #expect(error.description.hasPrefix("line 1: not a JSON object"))
            #expect(!error.description.contains("\n"))
        }
    }
}
