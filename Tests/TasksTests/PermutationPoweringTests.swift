import PropertyBased
import SeededRandom
import Tasks
import Testing

@Suite struct PermutationPoweringTests {
    static let presets: [PermutationPoweringConfiguration] = [.tiny, .small, .paper]

    @Test(arguments: presets)
    func expertWithCorrectSubAnswersAnswersEveryQuestion(configuration: PermutationPoweringConfiguration) async {
        let task = PermutationPowering(configuration)
        await propertyCheck(count: 40, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: task.minimumSize...task.size)) { seed, size in
            TaskLaws.expertAnswersWithCorrectSubAnswers(task, seed: seed, size: size)
        }
    }

    @Test(arguments: presets, [UInt64(1), 2, 3])
    func depthMatchesTheRecursionAndTheStaircase(configuration: PermutationPoweringConfiguration, seed: UInt64) {
        TaskLaws.depthIsConsistentWithHCH(PermutationPowering(configuration), seed: seed)
    }

    @Test(arguments: presets)
    func depthIsBitLengthMinusTwo(configuration: PermutationPoweringConfiguration) throws {
        let task = PermutationPowering(configuration)
        var rng = SplitMix64(seed: 5)
        let instance = task.makeInstance(size: task.size, using: &rng)
        let oracle = task.oracle(for: instance)
        for exponent in 2..<(1 << configuration.exponentBits) {
            let question = task.question(element: 0, exponent: exponent)
            #expect(oracle.depth(of: question) == (Int.bitWidth - exponent.leadingZeroBitCount) - 2)
        }
    }

    @Test func expertFollowsTheHalvingDecomposition() throws {
        // σ = (a b c d e) on the tiny preset: σ^5(a) = a, asked as σ^2(a), σ^2(σ^2 a), σ(·).
        let task = PermutationPowering(.tiny)
        let facts = try [["a", "b"], ["b", "c"], ["c", "d"], ["d", "e"], ["e", "a"]].map(task.encode)
        let instance = TaskInstance(size: 5, facts: facts, questions: [])
        let harness = ExpertHarness(task: task, oracle: task.oracle(for: instance))
        let run = harness.run(try task.encode(["a", "1", "0", "1"])) { harness.oracle.groundTruth($0) }
        #expect(run.asked.map(task.decode) == [["a", "0", "1", "0"], ["c", "0", "1", "0"], ["e", "0", "0", "1"]])
        #expect(run.answer.map(task.decode) == ["a"])
    }

    @Test(arguments: presets, [UInt64(21), 22])
    func expertAgreesWithGroundTruthOnArbitraryTokenSequences(configuration: PermutationPoweringConfiguration, seed: UInt64) {
        TaskLaws.expertAgreesOnArbitraryQuestions(PermutationPowering(configuration), seed: seed)
    }

    @Test(arguments: [UInt64(31), 32, 33])
    func expertAnswersEveryReachableQuestionOnTheSmallPreset(seed: UInt64) {
        TaskLaws.expertAnswersEveryReachableQuestion(PermutationPowering(.small), seed: seed)
    }

    @Test(arguments: presets)
    func leafLookupsAnswerOnlyLeaves(configuration: PermutationPoweringConfiguration) {
        TaskLaws.leafLookupsAnswerOnlyLeaves(PermutationPowering(configuration), seed: 11)
    }

    @Test(arguments: presets, [UInt64(0), 99])
    func generationIsDeterministicBySeed(configuration: PermutationPoweringConfiguration, seed: UInt64) {
        TaskLaws.generationIsDeterministic(PermutationPowering(configuration), seed: seed)
    }

    @Test(arguments: presets)
    func questionDistributionHasNoLeavesAndCoversEveryBitLength(configuration: PermutationPoweringConfiguration) {
        let task = PermutationPowering(configuration)
        let depths = TaskLaws.questionDepths(task, seed: 3, instances: 40)
        #expect(depths == Set(0...(configuration.exponentBits - 2)))
    }

    @Test func malformedQuestionsGetUnknown() throws {
        let task = PermutationPowering(.tiny)
        let step = task.expertStep(question: try task.encode(["1", "1", "0", "1"]), transcript: [])
        #expect(step == .answer([0]))
    }

    @Test func invalidConfigurationTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = PermutationPowering(PermutationPoweringConfiguration(size: 9, minimumSize: 4, letterCount: 8, nameLength: 1, exponentBits: 4))
        }
    }

    @Test func instanceLargerThanTheNamesTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 0)
            _ = PermutationPowering(.tiny).makeInstance(size: 1000, using: &rng)
        }
    }

    @Test func questionWithATooLargeExponentTraps() async {
        await #expect(processExitsWith: .failure) { _ = PermutationPowering(.tiny).question(element: 0, exponent: 8) }
    }
}
