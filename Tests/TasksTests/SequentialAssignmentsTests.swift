import PropertyBased
import SeededRandom
import Tasks
import Testing

@Suite struct SequentialAssignmentsTests {
    static let presets: [SequentialAssignmentsConfiguration] = [.tiny, .small, .paper]

    @Test(arguments: presets)
    func expertWithCorrectSubAnswersAnswersEveryQuestion(configuration: SequentialAssignmentsConfiguration) async {
        let task = SequentialAssignments(configuration)
        await propertyCheck(count: 30, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: task.minimumSize...task.size)) { seed, size in
            TaskLaws.expertAnswersWithCorrectSubAnswers(task, seed: seed, size: size)
        }
    }

    @Test(arguments: presets, [UInt64(1), 2, 3])
    func depthMatchesTheRecursionAndTheStaircase(configuration: SequentialAssignmentsConfiguration, seed: UInt64) {
        TaskLaws.depthIsConsistentWithHCH(SequentialAssignments(configuration), seed: seed, maxDepth: 5)
    }

    @Test(arguments: presets, [UInt64(21), 22])
    func expertAgreesWithGroundTruthOnArbitraryTokenSequences(configuration: SequentialAssignmentsConfiguration, seed: UInt64) {
        TaskLaws.expertAgreesOnArbitraryQuestions(SequentialAssignments(configuration), seed: seed)
    }

    @Test(arguments: [UInt64(31), 32, 33])
    func expertAnswersEveryReachableQuestionOnTheSmallPreset(seed: UInt64) {
        TaskLaws.expertAnswersEveryReachableQuestion(SequentialAssignments(.small), seed: seed)
    }

    @Test(arguments: presets)
    func leafLookupsAnswerOnlyLeaves(configuration: SequentialAssignmentsConfiguration) {
        TaskLaws.leafLookupsAnswerOnlyLeaves(SequentialAssignments(configuration), seed: 4)
    }

    @Test(arguments: presets, [UInt64(0), 99])
    func generationIsDeterministicBySeed(configuration: SequentialAssignmentsConfiguration, seed: UInt64) {
        TaskLaws.generationIsDeterministic(SequentialAssignments(configuration), seed: seed)
    }

    @Test(arguments: presets)
    func questionDistributionHasNoLeavesAndIncludesBaseVariables(configuration: SequentialAssignmentsConfiguration) {
        let depths = TaskLaws.questionDepths(SequentialAssignments(configuration), seed: 8, instances: 20)
        #expect(depths.contains(0) && depths.contains(1))
    }

    @Test(arguments: presets, [UInt64(5), 6])
    func factCountIsBasePlusTwicePerCompound(configuration: SequentialAssignmentsConfiguration, seed: UInt64) {
        let task = SequentialAssignments(configuration)
        var rng = SplitMix64(seed: seed)
        for size in [task.minimumSize, task.size] {
            let instance = task.makeInstance(size: size, using: &rng)
            let base = Int(Double(size).squareRoot())
            #expect(instance.facts.count == base + 2 * (size - base))
        }
    }

    @Test func expertAsksOperandsTheirValuesAndTheOperation() throws {
        // a := 1, b := 2, c := f(a, b) with f(1, 2) = 0 on the tiny preset.
        let task = SequentialAssignments(.tiny)
        let facts = try [["a", "1", "?"], ["b", "2", "?"], ["c", "a", "b"], ["1", "2", "0"]].map(task.encode)
        let oracle = task.oracle(for: TaskInstance(size: 3, facts: facts, questions: []))
        let harness = ExpertHarness(task: task, oracle: oracle)
        let run = harness.run(try task.encode(["C", "c"])) { oracle.groundTruth($0) }
        #expect(run.asked.map(task.decode) == [["A", "c"], ["C", "a"], ["B", "c"], ["C", "b"], ["1", "2"]])
        #expect(run.answer.map(task.decode) == ["0"])
        #expect(oracle.depth(of: try task.encode(["C", "c"])) == 1)
        #expect(oracle.depth(of: try task.encode(["C", "a"])) == 0)
    }

    @Test func cyclicDefinitionsAnswerUnknown() throws {
        let task = SequentialAssignments(.tiny)
        let facts = try [["a", "b", "b"], ["b", "a", "a"]].map(task.encode)
        let oracle = task.oracle(for: TaskInstance(size: 2, facts: facts, questions: []))
        #expect(oracle.groundTruth(try task.encode(["C", "a"])) == [0])
    }

    @Test func invalidConfigurationTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = SequentialAssignments(SequentialAssignmentsConfiguration(size: 11, minimumSize: 4, letterCount: 10, nameLength: 1, valueCount: 4))
        }
    }

    @Test func instanceLargerThanTheNamesTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 0)
            _ = SequentialAssignments(.tiny).makeInstance(size: 1000, using: &rng)
        }
    }
}
