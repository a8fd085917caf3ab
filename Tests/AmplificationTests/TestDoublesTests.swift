import Amplification
import IDATestSupport
import Tasks
import Testing

/// The doubles in IDATestSupport that the engine tests rely on.
@Suite struct TestDoublesTests {
    @Test func suspendingSupervisorHandsOutAndResumesInOrder() async throws {
        let person = SuspendingSupervisor()
        let first = Workspace(question: [1], subquestionsLeft: 1)
        let second = Workspace(question: [2], subquestionsLeft: 1)
        async let a = person.act(on: first)
        #expect(await person.nextWorkspace() == first)
        await person.supply(.answer([7]))
        #expect(try await a == .answer([7]))
        async let b = person.act(on: second)
        #expect(await person.nextWorkspace() == second)
        await person.supply(.ask([3]))
        #expect(try await b == .ask([3]))
        #expect(await person.workspacesHandedOut == 2)
        #expect(await person.waitingCount == 0)
    }

    @Test func supplyingWithNothingWaitingTraps() async {
        await #expect(processExitsWith: .failure) {
            await SuspendingSupervisor().supply(.answer([1]))
        }
    }

    @Test func randomSupervisorIsAFunctionOfTheWorkspace() {
        let supervisor = RandomSupervisor(
            seed: 3, questions: [[1, 2], [2, 1]], askProbability: 0.5, answerLength: 2, vocabularySize: 5)
        var asks = 0
        for token in 0..<40 {
            let workspace = Workspace(question: [token, 1], subquestionsLeft: 2)
            let action = supervisor.action(on: workspace)
            #expect(action == supervisor.action(on: workspace))
            if case .ask = action { asks += 1 }
            #expect(action.content.count == 2)
        }
        #expect(asks > 5 && asks < 35)
    }

    @Test func randomSupervisorWithoutQuestionsTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = RandomSupervisor(seed: 1, questions: [], askProbability: 0.5, answerLength: 1, vocabularySize: 2)
        }
    }

    @Test func loopingSupervisorAsksItsOwnQuestionFirst() {
        let task = PermutationPowering(.small)
        let looping = LoopingSupervisor(wrapping: ScriptedExpert(task: task))
        let question = Content.tokens(task.question(element: 2, exponent: 5))
        let start = Workspace(question: question, subquestionsLeft: 5)
        #expect(looping.action(on: start) == .ask(question))
        let after = Workspace(question: question, exchanges: [Exchange(question: question, answer: [0])], subquestionsLeft: 4)
        #expect(looping.action(on: after) == ScriptedExpert(task: task).action(on: start))
    }
}
