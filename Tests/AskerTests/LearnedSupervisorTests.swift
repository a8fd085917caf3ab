import Amplification
import Asker
import NeuralNetworks
import SeededRandom
import Tasks
import Testing

@Suite struct LearnedSupervisorTests {
    static func instances(of task: any AmplificationTask, count: Int, seed: UInt64) -> [TaskInstance] {
        Fixtures.instances(of: task, count: count, seed: seed)
    }

    static let groundTruth = Fixtures.groundTruth

    /// H′ trained on scripted-expert transcripts alone (ground-truth sub-answers) must then run
    /// the decomposition itself: Amp(H′, ground truth) answers fresh instances correctly.
    @Test(.tags(.slow), arguments: [11, 12] as [UInt64])
    func learnsTheTinyPermutationDecompositionFromDemonstrations(seed: UInt64) async throws {
        let task = PermutationPowering(.tiny)
        let layout = TranscriptLayout(task: task)
        let demonstrations = try await DemonstrationBatch.generate(
            task: task, expert: ScriptedExpert(task: task), instances: Self.instances(of: task, count: 200, seed: seed),
            assistant: GroundTruthAssistant(), seed: seed, configuration: Self.groundTruth)
        #expect(demonstrations.discarded == 0)
        #expect(demonstrations.expertCalls == demonstrations.transcripts.reduce(0) { $0 + $1.actionCount(layout: layout) })
        var rng = SplitMix64(seed: seed)
        let model = TranscriptModel(layout: layout, configuration: .tiny, rng: &rng)
        let trainer = AskerTrainer(model: model, configuration: .tiny, seed: seed)
        trainer.add(demonstrations.transcripts)
        let initialLoss = trainer.loss(on: demonstrations.transcripts)
        for _ in 0..<150 { trainer.step() }
        let finalLoss = trainer.loss(on: demonstrations.transcripts)
        #expect(finalLoss < initialLoss / 10, "loss \(initialLoss) -> \(finalLoss)")

        let heldOut = try await DemonstrationBatch.generate(
            task: task, expert: ScriptedExpert(task: task),
            instances: Self.instances(of: task, count: 100, seed: seed + 1000),
            assistant: GroundTruthAssistant(), seed: seed + 1000, configuration: Self.groundTruth)
        let accuracy = ActionAccuracy.measure(model: model, on: heldOut.transcripts)
        #expect(accuracy.subquestions >= 0.95 && accuracy.answers >= 0.95, "\(accuracy)")

        let fresh = Self.instances(of: task, count: 40, seed: seed + 2000)
        let amplifier = Amplifier(
            task: task, supervisor: LearnedSupervisor(model: model), assistant: GroundTruthAssistant(),
            configuration: Self.groundTruth)
        let result = try await amplifier.amplify(fresh, seed: seed)
        let truth = fresh.flatMap { instance in instance.questions.map { task.oracle(for: instance).groundTruth($0) } }
        let correct = zip(result.answers, truth).filter { $0.tokens == $1 }.count
        #expect(Double(correct) >= 0.95 * Double(truth.count), "\(correct)/\(truth.count) correct, \(accuracy)")
    }

    /// Batched actions equal one-by-one actions, across workspaces of different exchange counts.
    @Test(arguments: [1, 2] as [UInt64])
    func batchedActionsEqualSingleActions(seed: UInt64) {
        let supervisor = LearnedSupervisor(model: Fixtures.model(seed: seed))
        let workspaces = Self.workspaces(seed: seed)
        let batched = supervisor.actions(on: workspaces)
        #expect(batched == workspaces.map { supervisor.actions(on: [$0])[0] })
        for (workspace, action) in zip(workspaces, batched) {
            switch action {
            case .ask(let question):
                #expect(question.count == Fixtures.layout.questionLength && question.tokens.contains { $0 != 0 })
            case .answer(let answer):
                #expect(answer.count == Fixtures.layout.answerLength)
            }
            if workspace.subquestionsLeft == 0 || workspace.exchanges.count == Fixtures.layout.interactionLength {
                #expect(action == .answer(action.content), "must answer: \(workspace)")
            }
        }
    }

    /// Workspaces with 0...interactionLength exchanges, some with no sub-questions left.
    static func workspaces(seed: UInt64) -> [Workspace] {
        var rng = SplitMix64(seed: seed)
        let layout = Fixtures.layout
        func tokens(_ count: Int) -> [Int] { (0..<count).map { _ in 1 + Int(rng.next() % UInt64(layout.vocabularySize - 1)) } }
        return (0..<12).map { index in
            let exchanges = (0..<(index % (layout.interactionLength + 1))).map { _ in
                Exchange(question: tokens(layout.questionLength), answer: tokens(layout.answerLength))
            }
            return Workspace(question: tokens(layout.questionLength), exchanges: exchanges, subquestionsLeft: index % 5 == 4 ? 0 : 3)
        }
    }

    @Test(arguments: [3, 4] as [UInt64])
    func sampledDecodingGivesTheSameActionToTheSameWorkspace(seed: UInt64) async throws {
        let supervisor = LearnedSupervisor(model: Fixtures.model(seed: seed), decoding: .sampled(seed: seed))
        let workspaces = Self.workspaces(seed: seed)
        let first = try await supervisor.act(on: workspaces)
        let second = try await supervisor.act(on: workspaces.reversed())
        #expect(first == second.reversed())
        #expect(supervisor.agent == .hPrime)
    }

    /// A memoizing H′ gives exactly the actions a plain one decodes, repeated workspaces included,
    /// decodes each distinct workspace once, and after its weights change and it is told, the new
    /// weights' actions (while a memo not told keeps the old ones: forgetting is what keeps it exact).
    @Test(arguments: [(5, LearnedSupervisor.Decoding.greedy), (6, .sampled(seed: 9))] as [(UInt64, LearnedSupervisor.Decoding)])
    func aMemoizingSupervisorActsExactlyAsItsModel(seed: UInt64, decoding: LearnedSupervisor.Decoding) {
        let model = Fixtures.model(seed: seed)
        let memoizing = LearnedSupervisor(model: model, decoding: decoding, memoizes: true)
        let plain = LearnedSupervisor(model: model, decoding: decoding)
        let distinct = Self.workspaces(seed: seed)
        let repeated = distinct + distinct.reversed() + distinct
        #expect(memoizing.actions(on: repeated) == plain.actions(on: repeated))
        #expect(memoizing.actions(on: distinct) == plain.actions(on: distinct))
        #expect(memoizing.memoStatistics.misses == distinct.count)
        // 36 workspaces then 12 again, 12 of them decoded: 24 + 12 from the memo.
        #expect(memoizing.memoStatistics.hits == repeated.count + distinct.count - distinct.count)

        let before = plain.actions(on: distinct)
        var rng = SplitMix64(seed: seed + 100)
        let other = TranscriptModel(layout: model.layout, configuration: .tiny, rng: &rng)
        try? model.loadParameters(other.parametersCheckpoint(), modelName: "H′")
        let after = plain.actions(on: distinct)
        #expect(before != after, "new weights change some action")
        #expect(memoizing.actions(on: distinct) == before, "not told: the memo answers from the old weights")
        memoizing.forgetActions()
        #expect(memoizing.actions(on: distinct) == after)
    }

    /// Workspaces followed from their first action to their answer, sub-answers made up: a
    /// memoizing H′, which goes on from each workspace's previous decode, acts as a plain one at
    /// every turn, answering early or after every round, and only first decodes run a whole
    /// prefix; 64 workspaces, so that the first turns'
    /// decodes are cut in two for the cores, then 16 more at each of the next three turns, so that
    /// workspaces of different exchange counts ask and answer together. With `nullBias` added to
    /// the generate logit of `?`, the model also stops asking with rounds and budget left (a
    /// null question), whose answer goes on from the null question's decode.
    @Test(arguments: [(7, LearnedSupervisor.Decoding.greedy, 0), (8, .sampled(seed: 3), 0), (9, .greedy, 2), (10, .sampled(seed: 4), 3)]
        as [(UInt64, LearnedSupervisor.Decoding, Float)])
    func aSupervisorGoingOnFromItsCachesActsAsOneDecodingAfresh(seed: UInt64, decoding: LearnedSupervisor.Decoding, nullBias: Float) {
        let model = Fixtures.model(seed: seed)
        if let bias = model.parameters().first(where: { $0.key == "generate.bias" })?.tensor {
            bias.withUnsafeMutableBuffer { $0[0] += nullBias }
        }
        let memoizing = LearnedSupervisor(model: model, decoding: decoding, memoizes: true)
        let plain = LearnedSupervisor(model: model, decoding: decoding)
        let layout = Fixtures.layout
        var rng = SplitMix64(seed: seed)
        func tokens(_ count: Int) -> [Int] { (0..<count).map { _ in 1 + Int(rng.next() % UInt64(layout.vocabularySize - 1)) } }
        // Budgets 0 to interactionLength: some must answer at once, some may ask every round. Each
        // question new, so that no workspace can go on from another's decode.
        var questions: Set<[Int]> = []
        func fresh(_ count: Int) -> [Workspace] {
            (0..<count).map { index in
                var question = tokens(layout.questionLength)
                while !questions.insert(question).inserted { question = tokens(layout.questionLength) }
                return Workspace(question: question, exchanges: [], subquestionsLeft: index % (layout.interactionLength + 1))
            }
        }
        var open = fresh(64)
        var turns = 0, answered = 0, stoppedEarly = 0
        while !open.isEmpty || turns <= 3 {
            if (1...3).contains(turns) { open += fresh(16) }
            let actions = memoizing.actions(on: open)
            #expect(actions == plain.actions(on: open), "turn \(turns)")
            var next: [Workspace] = []
            for (workspace, action) in zip(open, actions) {
                guard case .ask(let question) = action else {
                    answered += 1
                    if workspace.exchanges.count < layout.interactionLength && workspace.subquestionsLeft > 0 { stoppedEarly += 1 }
                    continue
                }
                var asked = workspace
                asked.exchanges.append(Exchange(question: question.tokens, answer: tokens(layout.answerLength)))
                asked.subquestionsLeft -= 1
                next.append(asked)
            }
            open = next
            turns += 1
        }
        #expect(answered == 64 + 3 * 16)
        if nullBias > 0 { #expect(stoppedEarly > 0) }
        // Only each distinct workspace's first decode ran its whole prefix: every later one, and
        // every answer after a null question, went on from a cached decode.
        #expect(memoizing.memoStatistics.fresh == questions.count, "\(memoizing.memoStatistics)")
    }

    /// Asks a fixed sub-question at an even exchange count and answers at an odd one, budget or
    /// not: an expert that may ask where the workspace must be answered.
    struct AlternatingExpert: SynchronousSupervisor {
        var agent: Agent { .expert }

        func action(on workspace: Workspace) -> SupervisorAction {
            let layout = Fixtures.layout
            return workspace.exchanges.count % 2 == 0
                ? .ask(.tokens(Array(repeating: 1, count: layout.questionLength)))
                : .answer(.tokens(Array(repeating: 2, count: layout.answerLength)))
        }
    }

    /// An untrained H′ gives no action probability 1: with a deferral probability of 1 every
    /// action is the expert's — but where the workspace must be answered and the expert asks,
    /// where H′'s own answer stands — and with a memo each distinct deferred workspace is one
    /// call until H′ forgets its actions, without one every use is; with a deferral probability
    /// of 0 H′ acts alone.
    @Test(arguments: [1, 2] as [UInt64])
    func unsureActionsAreTheExpertsCountedOncePerWorkspace(seed: UInt64) {
        let model = Fixtures.model(seed: seed)
        let expert = AlternatingExpert()
        let layout = Fixtures.layout
        let remembering = LearnedSupervisor(model: model, memoizes: true, deferral: .init(expert: expert, probability: 1))
        let forgetting = LearnedSupervisor(model: model, deferral: .init(expert: expert, probability: 1))
        let never = LearnedSupervisor(model: model, memoizes: true, deferral: .init(expert: expert, probability: 0))
        let distinct = Self.workspaces(seed: seed)
        let repeated = distinct + distinct.reversed() + distinct
        let own = LearnedSupervisor(model: model).actions(on: repeated)
        func mayAsk(_ workspace: Workspace) -> Bool {
            workspace.exchanges.count < layout.interactionLength && workspace.subquestionsLeft > 0
        }
        func kept(_ workspace: Workspace) -> Bool {
            if case .ask = expert.action(on: workspace) { return !mayAsk(workspace) }
            return false
        }
        let expected = zip(repeated, own).map { kept($0) ? $1 : expert.action(on: $0) }
        let deferred = distinct.filter { !kept($0) }.count
        #expect(deferred > 0 && deferred < distinct.count, "both cases occur")
        #expect(remembering.actions(on: repeated) == expected)
        #expect(forgetting.actions(on: repeated) == expected)
        #expect(remembering.takeDeferredCalls() == deferred)
        #expect(forgetting.takeDeferredCalls() == 3 * deferred)
        #expect(remembering.takeDeferredCalls() == 0)
        #expect(remembering.actions(on: distinct) == Array(expected.prefix(distinct.count)))
        #expect(remembering.memoStatistics.misses == distinct.count, "the second time, all from the memo")
        #expect(remembering.takeDeferredCalls() == 0, "the remembered actions cost no call")
        remembering.forgetActions()
        #expect(remembering.actions(on: distinct) == Array(expected.prefix(distinct.count)))
        #expect(remembering.takeDeferredCalls() == deferred, "forgotten, the expert is consulted again")
        #expect(never.actions(on: repeated) == own && never.takeDeferredCalls() == 0)
    }

    @Test func workspaceThatDoesNotFitTheLayoutTraps() async {
        await #expect(processExitsWith: .failure) {
            let supervisor = LearnedSupervisor(model: Fixtures.model(seed: 1))
            _ = supervisor.actions(on: [Workspace(question: [1], exchanges: [], subquestionsLeft: 3)])
        }
    }
}

extension Tag {
    @Tag static var slow: Self
}
