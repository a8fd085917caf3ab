import PropertyBased
import Tasks
import Testing

@Suite struct VocabularyTests {
    @Test(arguments: TaskCatalog.taskNames, TaskCatalog.presetNames)
    func decodeThenEncodeIsTheIdentity(name: String, preset: String) async throws {
        let vocabulary = try TaskCatalog.task(named: name, preset: preset).tokenVocabulary
        await propertyCheck(input: Gen.int(in: 0..<vocabulary.count).array(of: 0...12)) { tokens in
            let roundTrip = try? vocabulary.encode(vocabulary.decode(tokens))
            #expect(roundTrip == tokens)
        }
    }

    @Test func encodeNamesTheFirstUnknownTokenAndItsPosition() {
        let vocabulary = Vocabulary(["?", "0", "1", "a"])
        #expect(throws: TokenizationError.unknownToken("b", position: 1, known: ["?", "0", "1", "a"])) {
            try vocabulary.encode(["a", "b", "c"])
        }
        #expect(TokenizationError.unknownToken("b", position: 1, known: ["?", "a"]).description
            == "unknown token \"b\" at position 1; the vocabulary is ? a")
    }

    @Test func renderJoinsTokenStrings() throws {
        let vocabulary = Vocabulary(["?", "D", "a"])
        #expect(vocabulary.render([1, 2, 0]) == "D a ?")
        #expect(vocabulary.id(of: "a") == 2)
        #expect(vocabulary.id(of: "b") == nil)
    }

    @Test func duplicateTokenTraps() async {
        await #expect(processExitsWith: .failure) { _ = Vocabulary(["?", "a", "a"]) }
    }

    @Test func missingUnknownTokenTraps() async {
        await #expect(processExitsWith: .failure) { _ = Vocabulary(["a"]) }
    }

    @Test func decodingAnOutOfRangeIdTraps() async {
        await #expect(processExitsWith: .failure) { _ = Vocabulary(["?", "a"]).decode([2]) }
    }
}
