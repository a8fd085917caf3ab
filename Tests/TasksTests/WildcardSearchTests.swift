import PropertyBased
import SeededRandom
import Tasks
import Testing

@Suite struct WildcardSearchTests {
    static let presets: [WildcardSearchConfiguration] = [.tiny, .small, .paper]

    @Test(arguments: presets)
    func expertWithCorrectSubAnswersAnswersEveryQuestion(configuration: WildcardSearchConfiguration) async {
        let task = WildcardSearch(configuration)
        await propertyCheck(count: 30, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: task.minimumSize...task.size)) { seed, size in
            TaskLaws.expertAnswersWithCorrectSubAnswers(task, seed: seed, size: size)
        }
    }

    @Test(arguments: presets, [UInt64(1), 2, 3])
    func depthMatchesTheRecursionAndTheStaircase(configuration: WildcardSearchConfiguration, seed: UInt64) {
        TaskLaws.depthIsConsistentWithHCH(WildcardSearch(configuration), seed: seed)
    }

    @Test(arguments: presets, [UInt64(21), 22])
    func expertAgreesWithGroundTruthOnArbitraryTokenSequences(configuration: WildcardSearchConfiguration, seed: UInt64) {
        TaskLaws.expertAgreesOnArbitraryQuestions(WildcardSearch(configuration), seed: seed)
    }

    @Test(arguments: [UInt64(31), 32, 33])
    func expertAnswersEveryReachableQuestionOnTheSmallPreset(seed: UInt64) {
        TaskLaws.expertAnswersEveryReachableQuestion(WildcardSearch(.small), seed: seed)
    }

    @Test(arguments: presets)
    func leafLookupsAnswerOnlyLeaves(configuration: WildcardSearchConfiguration) {
        TaskLaws.leafLookupsAnswerOnlyLeaves(WildcardSearch(configuration), seed: 4)
    }

    @Test(arguments: presets, [UInt64(0), 99])
    func generationIsDeterministicBySeed(configuration: WildcardSearchConfiguration, seed: UInt64) {
        TaskLaws.generationIsDeterministic(WildcardSearch(configuration), seed: seed)
    }

    @Test(arguments: presets)
    func questionDistributionHasNoLeavesAndCoversEveryWildcardCount(configuration: WildcardSearchConfiguration) {
        let depths = TaskLaws.questionDepths(WildcardSearch(configuration), seed: 8, instances: 20)
        #expect(depths == Set(0..<configuration.stringLength))
    }

    @Test func sumCountsMatchingStringsAndAbsentStringsCountZero() throws {
        let task = WildcardSearch(.tiny)
        let facts = try [["a", "a", "a", "1"], ["a", "b", "a", "1"], ["b", "b", "a", "-1"], ["a", "a", "b", "1"]].map(task.encode)
        let oracle = task.oracle(for: TaskInstance(size: 4, facts: facts, questions: []))
        #expect(task.decode(oracle.groundTruth(try task.encode(["a", "*", "a"]))) == ["2"])
        #expect(task.decode(oracle.groundTruth(try task.encode(["*", "b", "*"]))) == ["0"])
        #expect(task.decode(oracle.groundTruth(try task.encode(["*", "*", "*"]))) == ["2"])
        var rng = SplitMix64(seed: 0)
        #expect(oracle.leafAnswer(try task.encode(["b", "a", "b"]), using: &rng).map(task.decode) == ["0"])
    }

    @Test func partialSumsSaturateAtTheBound() throws {
        // Bound 2: a** holds four strings of +1 (saturates to 2), b** three of -1 (to -2), so the
        // expert's recursion, and hence the ground truth, gives 0 where the plain sum is 1.
        let task = WildcardSearch(WildcardSearchConfiguration(size: 8, minimumSize: 4, stringLength: 3, letterCount: 2, sumBound: 2))
        let plus = [["a", "a", "a"], ["a", "a", "b"], ["a", "b", "a"], ["a", "b", "b"]].map { $0 + ["1"] }
        let minus = [["b", "a", "a"], ["b", "a", "b"], ["b", "b", "a"]].map { $0 + ["-1"] }
        let facts = try (plus + minus).map(task.encode)
        let oracle = task.oracle(for: TaskInstance(size: 7, facts: facts, questions: []))
        #expect(task.decode(oracle.groundTruth(try task.encode(["a", "*", "*"]))) == ["2"])
        #expect(task.decode(oracle.groundTruth(try task.encode(["b", "*", "*"]))) == ["-2"])
        #expect(task.decode(oracle.groundTruth(try task.encode(["*", "*", "*"]))) == ["0"])
    }

    @Test func malformedQuestionsGetZero() {
        let task = WildcardSearch(.tiny)
        #expect(task.expertStep(question: [0, 0, 0], transcript: []) == .answer(task.encode(0)))
    }

    @Test func invalidConfigurationTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = WildcardSearch(WildcardSearchConfiguration(size: 9, minimumSize: 4, stringLength: 3, letterCount: 2, sumBound: 3))
        }
    }
}

extension WildcardSearch {
    func encode(_ value: Int) -> Tokens { [token(of: value)] }

    @Test func instanceLargerThanTheNamesTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 0)
            _ = WildcardSearch(.tiny).makeInstance(size: 1000, using: &rng)
        }
    }
}
