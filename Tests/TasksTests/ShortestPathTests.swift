import PropertyBased
import SeededRandom
import Tasks
import Testing

@Suite struct ShortestPathTests {
    static let presets: [ShortestPathConfiguration] = [.tiny, .small, .paper]

    @Test(arguments: presets)
    func expertWithCorrectSubAnswersAnswersEveryQuestion(configuration: ShortestPathConfiguration) async {
        let task = ShortestPath(configuration)
        await propertyCheck(count: 20, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: task.minimumSize...task.size)) { seed, size in
            TaskLaws.expertAnswersWithCorrectSubAnswers(task, seed: seed, size: size)
        }
    }

    @Test(arguments: presets, [UInt64(1), 2, 3])
    func depthMatchesTheRecursionAndTheStaircase(configuration: ShortestPathConfiguration, seed: UInt64) {
        // Neighbours searched in vain answer `inf`, which S treats like HCH_0's `?`: a lower HCH
        // can be right.
        TaskLaws.depthIsConsistentWithHCH(ShortestPath(configuration), seed: seed, maxDepth: 5, everyDepthNeeded: false)
    }

    @Test(arguments: presets, [UInt64(21), 22])
    func expertAgreesWithGroundTruthOnArbitraryTokenSequences(configuration: ShortestPathConfiguration, seed: UInt64) {
        TaskLaws.expertAgreesOnArbitraryQuestions(ShortestPath(configuration), seed: seed)
    }

    @Test(arguments: [UInt64(31), 32, 33])
    func expertAnswersEveryReachableQuestionOnTheSmallPreset(seed: UInt64) {
        TaskLaws.expertAnswersEveryReachableQuestion(ShortestPath(.small), seed: seed)
    }

    @Test(arguments: presets)
    func leafLookupsAnswerOnlyLeaves(configuration: ShortestPathConfiguration) {
        TaskLaws.leafLookupsAnswerOnlyLeaves(ShortestPath(configuration), seed: 4)
    }

    @Test(arguments: presets, [UInt64(0), 99])
    func generationIsDeterministicBySeed(configuration: ShortestPathConfiguration, seed: UInt64) {
        TaskLaws.generationIsDeterministic(ShortestPath(configuration), seed: seed)
    }

    @Test(arguments: presets)
    func questionDistributionHasNoLeavesAndSpansDepths(configuration: ShortestPathConfiguration) {
        let depths = TaskLaws.questionDepths(ShortestPath(configuration), seed: 8, instances: 10)
        #expect(depths.contains(0) && depths.count > 2)
    }

    @Test(arguments: presets, [UInt64(5), 6])
    func edgesAreTwicePerVertexWithinTheOutDegreeCap(configuration: ShortestPathConfiguration, seed: UInt64) {
        let task = ShortestPath(configuration)
        var rng = SplitMix64(seed: seed)
        let instance = task.makeInstance(size: task.size, using: &rng)
        #expect(instance.facts.count == 2 * task.size)
        let targets = Dictionary(grouping: instance.facts, by: { Array($0.prefix(task.names.nameLength)) }).mapValues { Set($0) }
        #expect(targets.values.allSatisfy { $0.count <= configuration.maxOutDegree })
    }

    @Test func distancesCountEdgesAndTheFirstStepIsLowestNamed() throws {
        // a→b, a→c, b→d, c→d, d→a on the tiny preset (horizon up to 3).
        let task = ShortestPath(.tiny)
        let facts = try [["a", "b"], ["a", "c"], ["b", "d"], ["c", "d"], ["d", "a"]].map(task.encode)
        let oracle = task.oracle(for: TaskInstance(size: 4, facts: facts, questions: []))
        func ask(_ strings: [String]) throws -> [String] { task.decode(oracle.groundTruth(try task.encode(strings))) }
        #expect(try ask(["D", "a", "d", "3"]) == ["2"])
        #expect(try ask(["D", "a", "d", "1"]) == ["inf"])
        #expect(try ask(["S", "a", "d", "2"]) == ["b"])
        #expect(try ask(["D", "a", "a", "3"]) == ["3"])
        #expect(try ask(["D", "a", "e", "3"]) == ["inf"])
        #expect(try ask(["S", "a", "e", "3"]) == ["inf"])
        #expect(try ask(["E", "d", "a", "?"]) == ["1"])
        #expect(try ask(["N", "a", "1", "?"]) == ["c"])
        let harness = ExpertHarness(task: task, oracle: oracle)
        let run = harness.run(try task.encode(["S", "a", "d", "2"])) { oracle.groundTruth($0) }
        #expect(run.asked.map(task.render) == ["E a d ?", "N a 0 ?", "D b d 1", "N a 1 ?", "D c d 1", "N a 2 ?"])
        #expect(run.answer.map(task.decode) == ["b"])
    }

    @Test func invalidConfigurationTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = ShortestPath(ShortestPathConfiguration(size: 8, minimumSize: 4, letterCount: 8, nameLength: 1, maxDistance: 2, maxOutDegree: 4))
        }
    }

    @Test func instanceLargerThanTheNamesTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 0)
            _ = ShortestPath(.tiny).makeInstance(size: 1000, using: &rng)
        }
    }
}
