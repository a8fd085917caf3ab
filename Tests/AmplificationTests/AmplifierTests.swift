import Amplification
import IDATestSupport
import PropertyBased
import SeededRandom
import Tasks
import Testing

@Suite struct AmplifierTests {
    static let groundTruthAllowed = AmplifierConfiguration(groundTruth: .allowed)

    static func expertWithGroundTruth(_ task: any AmplificationTask, assistant: any Assistant = GroundTruthAssistant())
        -> Amplifier
    {
        Amplifier(task: task, supervisor: ScriptedExpert(task: task), assistant: assistant, configuration: groundTruthAllowed)
    }

    @Test(arguments: Fixtures.taskNames, Fixtures.presets)
    func expertWithGroundTruthAssistantAnswersEveryQuestion(taskName: String, preset: String) async throws {
        let task = Fixtures.task(taskName, preset: preset)
        await propertyCheck(count: 20, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            let instances = Fixtures.instances(of: task, count: 3, seed: seed)
            let result = try await Self.expertWithGroundTruth(task).amplify(instances, seed: seed)
            let truth = Fixtures.truth(of: task, instances)
            #expect(result.answers == truth.map(\.answer))
            #expect(result.counters.groundTruthAnswers == result.counters.assistantQuestions)
        }
    }

    @Test(arguments: Fixtures.taskNames, [UInt64(1), 2, 3])
    func eachStepSendsAllPendingSubquestionsInOneCall(taskName: String, seed: UInt64) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        let instances = Fixtures.instances(of: task, count: 4, seed: seed)
        let recorder = RecordingAssistant(wrapping: GroundTruthAssistant())
        let result = try await Self.expertWithGroundTruth(task, assistant: recorder).amplify(instances, seed: seed)

        let expected = Fixtures.batchSizes(of: result.workspaces, task: task)
        #expect(recorder.batchSizes == expected)
        #expect(result.counters.assistantCalls == expected.count)
        #expect(result.counters.assistantQuestions == expected.reduce(0, +))
        #expect(expected.count <= task.interactionLength)
    }

    @Test(arguments: Fixtures.taskNames)
    func equalSeedsGiveEqualTranscripts(taskName: String) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        let hch = HCH(task: task, supervisor: ScriptedExpert(task: task), depth: 2)
        await propertyCheck(count: 8, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            let first = try await hch.amplifier.amplify(Fixtures.instances(of: task, count: 2, seed: seed), seed: seed)
            let second = try await hch.amplifier.amplify(Fixtures.instances(of: task, count: 2, seed: seed), seed: seed)
            #expect(first.workspaces == second.workspaces)
            #expect(first.answers == second.answers)
            #expect(first.counters == second.counters)
        }
    }

    @Test(arguments: Fixtures.taskNames)
    func answersDoNotDependOnHowQueriesAreBatched(taskName: String) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        let instances = Fixtures.instances(of: task, count: 2, seed: 21)
        let contexts = InstanceContext.contexts(for: instances, task: task)
        let queries = AssistantQuery.mainQuestions(of: instances, seed: 21)
        let hch = HCH(task: task, supervisor: ScriptedExpert(task: task), depth: 3)
        let together = try await hch.amplifier.run(queries, contexts: contexts)
        var alone: [Workspace] = []
        for query in queries.reversed() {
            alone.insert(contentsOf: try await hch.amplifier.run([query], contexts: contexts).workspaces, at: 0)
        }
        #expect(alone == together.workspaces)
    }

    @Test(arguments: Fixtures.taskNames)
    func suspendingSupervisorGetsTheSameResultAsTheExpert(taskName: String) async throws {
        let task = Fixtures.task(taskName, preset: "tiny")
        let instances = Fixtures.instances(of: task, count: 2, seed: 9)
        let direct = try await Self.expertWithGroundTruth(task).amplify(instances, seed: 9)

        let person = SuspendingSupervisor()
        let run = Task {
            try await Amplifier(
                task: task, supervisor: person, assistant: GroundTruthAssistant(),
                configuration: Self.groundTruthAllowed
            ).amplify(instances, seed: 9)
        }
        let expert = ScriptedExpert(task: task)
        for _ in 0..<direct.counters.supervisorActions {
            let workspace = await person.nextWorkspace()
            #expect(await person.waitingCount == 1)  // the run waits for this one action
            await person.supply(expert.action(on: workspace))
        }
        let suspended = try await run.value
        #expect(suspended.answers == direct.answers)
        #expect(suspended.workspaces == direct.workspaces)
        #expect(suspended.counters == direct.counters)
        #expect(await person.workspacesHandedOut == direct.counters.supervisorActions)
    }

    @Test func malformedAssistantAnswerThrows() async throws {
        let task = Fixtures.task("permutation", preset: "small")
        let instances = Fixtures.instances(of: task, count: 1, seed: 1)
        let amplifier = Amplifier(
            task: task, supervisor: ScriptedExpert(task: task), assistant: ConstantAssistant(answer: [0, 0, 0, 0, 0]))
        await #expect {
            try await amplifier.amplify(instances, seed: 1)
        } throws: { error in
            guard case .malformedAnswer(_, _, let reason) = error as? AmplificationError else { return false }
            return reason == .wrongLength(subquestion: false, expected: task.answerLength, received: 5)
        }
    }

    @Test func queryOutsideTheContextsTraps() async {
        await #expect(processExitsWith: .failure) {
            let task = PermutationPowering(.tiny)
            var rng = SplitMix64(seed: 1)
            let contexts = InstanceContext.contexts(for: [task.makeInstance(size: 5, using: &rng)], task: task)
            let query = AssistantQuery(context: 3, question: .tokens(task.question(element: 0, exponent: 3)), seed: 0)
            _ = try await Amplifier(task: task, supervisor: ScriptedExpert(task: task), assistant: GroundTruthAssistant())
                .run([query], contexts: contexts)
        }
    }

    @Test func questionOfTheWrongLengthTraps() async {
        await #expect(processExitsWith: .failure) {
            let task = PermutationPowering(.tiny)
            var rng = SplitMix64(seed: 1)
            let contexts = InstanceContext.contexts(for: [task.makeInstance(size: 5, using: &rng)], task: task)
            let query = AssistantQuery(context: 0, question: [3], seed: 0)
            _ = try await Amplifier(task: task, supervisor: ScriptedExpert(task: task), assistant: GroundTruthAssistant())
                .run([query], contexts: contexts)
        }
    }
}
