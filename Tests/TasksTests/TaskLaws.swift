import SeededRandom
import Tasks
import Testing

/// The laws every task must satisfy, checked the same way for all five.
enum TaskLaws {
    /// With correct sub-answers the expert answers every main question, and every question it
    /// asks on the way (one level down), exactly as the ground truth, within `interactionLength`.
    static func expertAnswersWithCorrectSubAnswers(_ task: some AmplificationTask, seed: UInt64, size: Int) {
        var rng = SplitMix64(seed: seed)
        let instance = task.makeInstance(size: size, using: &rng)
        let oracle = task.oracle(for: instance)
        let harness = ExpertHarness(task: task, oracle: oracle)
        for question in instance.questions {
            let run = harness.run(question) { oracle.groundTruth($0) }
            #expect(run.answer == oracle.groundTruth(question), "\(task.render(question)) seed \(seed) size \(size)")
            for subQuestion in run.asked where !task.isLeaf(subQuestion) {
                #expect(harness.answerWithCorrectSubAnswers(subQuestion) == oracle.groundTruth(subQuestion),
                        "\(task.render(subQuestion)) seed \(seed) size \(size)")
            }
        }
    }

    /// `depth(of:)` equals the recursive definition; HCH_d answers a depth-d question correctly,
    /// and the depths are not overestimated: some question of each depth d ≥ 1 defeats HCH_{d-1}
    /// (of some depth only, when `everyDepthNeeded` is false).
    static func depthIsConsistentWithHCH(_ task: some AmplificationTask, seed: UInt64, maxDepth: Int = 6, everyDepthNeeded: Bool = true) {
        var rng = SplitMix64(seed: seed)
        var defeated: [Int: Bool] = [:]
        for size in Set([task.minimumSize, task.size]) {
            for _ in 0..<3 {
                let instance = task.makeInstance(size: size, using: &rng)
                let oracle = task.oracle(for: instance)
                let harness = ExpertHarness(task: task, oracle: oracle)
                for question in instance.questions {
                    let depth = oracle.depth(of: question)
                    guard depth <= maxDepth else { continue }
                    #expect(harness.recursiveDepth(question) == depth, "\(task.render(question))")
                    let truth = oracle.groundTruth(question)
                    #expect(harness.hch(depth, question) == truth, "HCH_\(depth) on \(task.render(question))")
                    #expect(harness.hch(depth + 1, question) == truth, "HCH_\(depth + 1) on \(task.render(question))")
                    if depth > 0 {
                        defeated[depth, default: false] = defeated[depth, default: false] || harness.hch(depth - 1, question) != truth
                    }
                }
            }
        }
        if everyDepthNeeded {
            for (depth, wasDefeated) in defeated {
                #expect(wasDefeated, "no question of depth \(depth) needed HCH_\(depth)")
            }
        } else {
            #expect(defeated.values.contains(true), "no question needed more than HCH_0")
        }
    }

    /// `leafAnswer` answers exactly the leaves, among the sub-questions the expert asks.
    static func leafLookupsAnswerOnlyLeaves(_ task: some AmplificationTask, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let instance = task.makeInstance(size: task.size, using: &rng)
        let oracle = task.oracle(for: instance)
        let harness = ExpertHarness(task: task, oracle: oracle)
        var leaves = 0
        for question in instance.questions {
            #expect(oracle.leafAnswer(question, using: &rng) == nil)
            for subQuestion in harness.run(question, subAnswer: { oracle.groundTruth($0) }).asked {
                let answer = oracle.leafAnswer(subQuestion, using: &rng)
                #expect((answer != nil) == task.isLeaf(subQuestion), "\(task.render(subQuestion))")
                if let answer {
                    leaves += 1
                    #expect(answer.count == task.answerLength)
                }
            }
        }
        #expect(leaves > 0)
    }

    /// Equal seeds give equal instances; different seeds give different ones.
    static func generationIsDeterministic(_ task: some AmplificationTask, seed: UInt64) {
        var first = SplitMix64(seed: seed)
        var second = SplitMix64(seed: seed)
        var other = SplitMix64(seed: seed &+ 1)
        let instance = task.makeInstance(size: task.size, using: &first)
        #expect(instance == task.makeInstance(size: task.size, using: &second))
        #expect(instance != task.makeInstance(size: task.size, using: &other))
    }

    /// The depths of the main questions of `instances` full-size instances, after checking that
    /// none is a leaf, that there are as many questions as facts, and that every length is right.
    static func questionDepths(_ task: some AmplificationTask, seed: UInt64, instances: Int) -> Set<Int> {
        var rng = SplitMix64(seed: seed)
        var depths: Set<Int> = []
        for index in 0..<instances {
            let size = index.isMultiple(of: 2) ? task.size : task.minimumSize
            let instance = task.makeInstance(size: size, using: &rng)
            let oracle = task.oracle(for: instance)
            #expect(instance.size == size)
            #expect(instance.questions.count == instance.facts.count)
            #expect(instance.facts.allSatisfy { $0.count == task.factLength })
            #expect(instance.facts.allSatisfy { $0.allSatisfy { (0..<task.vocabulary.count).contains($0) } })
            for question in instance.questions {
                #expect(question.count == task.questionLength)
                #expect(!task.isLeaf(question), "\(task.render(question))")
                #expect(oracle.groundTruth(question).count == task.answerLength)
                depths.insert(oracle.depth(of: question))
            }
        }
        return depths
    }

    /// The expert with correct sub-answers agrees with the ground truth on arbitrary token
    /// sequences of question length too (malformed ones included), and leaf lookups answer
    /// exactly the leaves among them.
    static func expertAgreesOnArbitraryQuestions(_ task: some AmplificationTask, seed: UInt64, count: Int = 300) {
        var rng = SplitMix64(seed: seed)
        let instance = task.makeInstance(size: task.size, using: &rng)
        let oracle = task.oracle(for: instance)
        let harness = ExpertHarness(task: task, oracle: oracle)
        // Half the questions perturb a real one in one position, half are uniform tokens.
        for index in 0..<count {
            var question: Tokens
            if index.isMultiple(of: 2), let real = instance.questions.randomElement(using: &rng) {
                question = real
                question[Int.random(in: 0..<question.count, using: &rng)] = Int.random(in: 0..<task.vocabulary.count, using: &rng)
            } else {
                question = (0..<task.questionLength).map { _ in Int.random(in: 0..<task.vocabulary.count, using: &rng) }
            }
            #expect(harness.answerWithCorrectSubAnswers(question) == oracle.groundTruth(question), "\(task.render(question))")
            #expect((oracle.leafAnswer(question, using: &rng) != nil) == task.isLeaf(question), "\(task.render(question))")
        }
    }

    /// Every question reachable from the main questions through the expert's sub-questions is
    /// answered exactly, and no recursion passes `limit` levels.
    static func expertAnswersEveryReachableQuestion(_ task: some AmplificationTask, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let instance = task.makeInstance(size: task.size, using: &rng)
        let oracle = task.oracle(for: instance)
        let harness = ExpertHarness(task: task, oracle: oracle)
        var reachable: Set<Tokens> = []
        for question in instance.questions where !reachable.contains(question) {
            reachable.formUnion(harness.closure(of: question))
        }
        for question in reachable where !task.isLeaf(question) {
            #expect(harness.answerWithCorrectSubAnswers(question) == oracle.groundTruth(question), "\(task.render(question))")
            #expect(harness.recursiveDepth(question) == oracle.depth(of: question), "\(task.render(question))")
        }
    }
}
