import Amplification
import IDATestSupport
import Tasks
import Testing

@Suite struct GroundTruthAssistantTests {
    @Test(arguments: Fixtures.taskNames)
    func answersAreGroundTruthAndCounted(taskName: String) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        let instances = Fixtures.instances(of: task, count: 3, seed: 2)
        let contexts = InstanceContext.contexts(for: instances, task: task)
        let queries = AssistantQuery.mainQuestions(of: instances, seed: 2)
        let answers = try await GroundTruthAssistant().answer(queries, contexts: contexts)
        #expect(answers == Fixtures.truth(of: task, instances).map(\.answer))
        #expect(contexts[0].groundTruthAnswersConsumed == queries.count)
    }

    @Test(arguments: Fixtures.taskNames)
    func forbiddenGroundTruthThrowsOnTheFirstCall(taskName: String) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        let instances = Fixtures.instances(of: task, count: 2, seed: 3)
        let amplifier = Amplifier(task: task, supervisor: ScriptedExpert(task: task), assistant: GroundTruthAssistant())
        await #expect {
            try await amplifier.amplify(instances, seed: 3)
        } throws: { error in
            guard case .groundTruthReachedAnswer(let count, let assistant) = error as? AmplificationError else {
                return false
            }
            return count > 0 && assistant == "ground-truth"
        }
    }

    /// The check watches the ledger, not the assistant's word: a cheat that reports nothing, even
    /// one level down inside HCH, is caught. (On the small presets a deeper cheat is never
    /// called: every sub-question at that depth is a leaf.) A cheat one level down is only reached
    /// from main questions of depth ≥ 2; permutation's small preset stops at depth 1 (k ≤ 7), so
    /// permutation runs with k ≤ 15 here.
    @Test(arguments: Fixtures.taskNames, [0, 1])
    func cheatingAssistantIsCaught(taskName: String, levelsAbove: Int) async throws {
        let task: any AmplificationTask =
            taskName == "permutation"
            ? PermutationPowering(PermutationPoweringConfiguration(exponentBits: 4)) : Fixtures.task(taskName, preset: "small")
        let instances = Fixtures.instances(of: task, count: 2, seed: 4)
        let expert = ScriptedExpert(task: task)
        var amplifier = Amplifier(task: task, supervisor: expert, assistant: CheatingAssistant())
        for _ in 0..<levelsAbove {
            amplifier = Amplifier(task: task, supervisor: expert, assistant: amplifier)
        }
        await #expect {
            try await amplifier.amplify(instances, seed: 4)
        } throws: { error in
            guard case .groundTruthReachedAnswer(let count, _) = error as? AmplificationError else { return false }
            return count > 0
        }
    }

    @Test func allowedGroundTruthIsCountedNotSelfReported() async throws {
        let task = Fixtures.task("permutation", preset: "small")
        let instances = Fixtures.instances(of: task, count: 2, seed: 5)
        let result = try await Amplifier(
            task: task, supervisor: ScriptedExpert(task: task), assistant: CheatingAssistant(),
            configuration: AmplifierConfiguration(groundTruth: .allowed)
        ).amplify(instances, seed: 5)
        #expect(result.counters.groundTruthAnswers == result.counters.assistantQuestions)
        #expect(result.counters.groundTruthAnswers > 0)
    }

    @Test func honestHCHConsumesNoGroundTruth() async throws {
        let task = Fixtures.task("permutation", preset: "small")
        let instances = Fixtures.instances(of: task, count: 2, seed: 6)
        let contexts = InstanceContext.contexts(for: instances, task: task)
        let result = try await HCH(task: task, supervisor: ScriptedExpert(task: task), depth: 3)
            .amplifier.run(AssistantQuery.mainQuestions(of: instances, seed: 6), contexts: contexts)
        #expect(result.counters.groundTruthAnswers == 0)
        #expect(contexts[0].groundTruthAnswersConsumed == 0)
        #expect(result.counters.leafLookups > 0)
    }

    @Test func queryOutsideTheContextsTraps() async {
        await #expect(processExitsWith: .failure) {
            let task = PermutationPowering(.tiny)
            let contexts = InstanceContext.contexts(for: [], task: task)
            let query = AssistantQuery(context: 0, question: .tokens(task.question(element: 0, exponent: 2)), seed: 0)
            _ = try await GroundTruthAssistant().answer([query], contexts: contexts)
        }
    }
}
