import PropertyBased
import SeededRandom
import Tasks
import Testing

@Suite struct UnionFindTests {
    static let presets: [UnionFindConfiguration] = [.tiny, .small, .paper]

    @Test(arguments: presets)
    func expertWithCorrectSubAnswersAnswersEveryQuestion(configuration: UnionFindConfiguration) async {
        let task = UnionFind(configuration)
        await propertyCheck(count: 30, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: task.minimumSize...task.size)) { seed, size in
            TaskLaws.expertAnswersWithCorrectSubAnswers(task, seed: seed, size: size)
        }
    }

    @Test(arguments: presets, [UInt64(1), 2, 3])
    func depthMatchesTheRecursionAndTheStaircase(configuration: UnionFindConfiguration, seed: UInt64) {
        // Children searched on the way answer `?`, which HCH_0 also says: a lower HCH can be right.
        TaskLaws.depthIsConsistentWithHCH(UnionFind(configuration), seed: seed, maxDepth: 7, everyDepthNeeded: false)
    }

    @Test(arguments: presets, [UInt64(21), 22])
    func expertAgreesWithGroundTruthOnArbitraryTokenSequences(configuration: UnionFindConfiguration, seed: UInt64) {
        TaskLaws.expertAgreesOnArbitraryQuestions(UnionFind(configuration), seed: seed)
    }

    @Test(arguments: [UInt64(31), 32, 33])
    func expertAnswersEveryReachableQuestionOnTheSmallPreset(seed: UInt64) {
        TaskLaws.expertAnswersEveryReachableQuestion(UnionFind(.small), seed: seed)
    }

    @Test(arguments: presets)
    func leafLookupsAnswerOnlyLeaves(configuration: UnionFindConfiguration) {
        TaskLaws.leafLookupsAnswerOnlyLeaves(UnionFind(configuration), seed: 4)
    }

    @Test(arguments: presets, [UInt64(0), 99])
    func generationIsDeterministicBySeed(configuration: UnionFindConfiguration, seed: UInt64) {
        TaskLaws.generationIsDeterministic(UnionFind(configuration), seed: seed)
    }

    @Test(arguments: presets)
    func questionDistributionHasNoLeaves(configuration: UnionFindConfiguration) {
        let depths = TaskLaws.questionDepths(UnionFind(configuration), seed: 8, instances: 20)
        #expect(depths.contains(0) && depths.count > 2)
    }

    @Test(arguments: presets, [UInt64(5), 6])
    func factsFormOneTreePerClassWithinTheDegreeCap(configuration: UnionFindConfiguration, seed: UInt64) throws {
        let task = UnionFind(configuration)
        var rng = SplitMix64(seed: seed)
        let instance = task.makeInstance(size: task.size, using: &rng)
        #expect(instance.facts.count == task.size)
        let oracle = task.oracle(for: instance)
        var rootCount = 0
        for variable in 0..<task.names.nameCount {
            let name = task.names.tokens(ofName: variable)
            let stated = oracle.groundTruth(try task.encode(["S"]) + name + [Int](repeating: 0, count: name.count))
            if stated.first != 0 { rootCount += 1 }
            let degree = (0..<configuration.maxDegree).count { index in
                let question = (try? task.encode(["N"] + task.decode(name) + ["\(index)"])) ?? []
                return oracle.groundTruth(question + [Int](repeating: 0, count: max(task.questionLength - question.count, 0))).first != 0
            }
            #expect(degree <= configuration.maxDegree)
        }
        #expect(rootCount >= 1 && rootCount <= min(configuration.valueCount, Int(Double(task.size).squareRoot())))
        #expect(rootCount + (instance.facts.count - rootCount) == task.size)
    }

    @Test func expertFindsTheParentThroughRootwardQuestions() throws {
        // Tree a(root, v1) – b – c, and b – d: P c asks S c, N c 0 = b, R b c; finds b.
        let task = UnionFind(.tiny)
        let facts = try [["a", "v1"], ["a", "b"], ["c", "b"], ["b", "d"]].map(task.encode)
        let oracle = task.oracle(for: TaskInstance(size: 4, facts: facts, questions: []))
        let harness = ExpertHarness(task: task, oracle: oracle)
        let parentOfB = try task.encode(["P", "b", "?"])
        let run = harness.run(parentOfB) { oracle.groundTruth($0) }
        #expect(run.asked.map(task.decode) == [["S", "b", "?"], ["N", "b", "0"], ["R", "a", "b"]])
        #expect(run.answer.map(task.decode) == ["a"])
        #expect(task.decode(oracle.groundTruth(try task.encode(["D", "d", "?"]))) == ["2"])
        #expect(task.decode(oracle.groundTruth(try task.encode(["V", "c", "?"]))) == ["v1"])
        #expect(task.decode(oracle.groundTruth(try task.encode(["R", "b", "a"]))) == ["?"])
        #expect(task.decode(oracle.groundTruth(try task.encode(["R", "b", "c"]))) == ["1"])
        #expect(task.decode(oracle.groundTruth(try task.encode(["c", "b", "?"]))) == ["0"])
    }

    @Test func invalidConfigurationTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = UnionFind(UnionFindConfiguration(size: 10, minimumSize: 4, letterCount: 10, nameLength: 1, valueCount: 3, maxDegree: 1))
        }
    }

    @Test func instanceLargerThanTheNamesTraps() async {
        await #expect(processExitsWith: .failure) {
            var rng = SplitMix64(seed: 0)
            _ = UnionFind(.tiny).makeInstance(size: 1000, using: &rng)
        }
    }
}
