import Amplification
import Foundation
import IDATestSupport
import Tasks
import Testing

/// An action the task cannot read goes back to its workspace with the reason, and the run goes on.
@Suite struct RejectionTests {
    /// A supervisor that gets every action wrong once and right once it is told why: the expert's
    /// answers, each action twice, every mistake counted, nothing lost.
    @Test(arguments: Fixtures.taskNames, [0, 2])
    func aSupervisorToldWhyGetsTheExpertsAnswers(taskName: String, depth: Int) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        let instances = Fixtures.instances(of: task, count: 3, seed: 5)
        let expert = ScriptedExpert(task: task)
        let plain = try await HCH(task: task, supervisor: expert, depth: depth).amplifier.amplify(instances, seed: 5)
        let corrected = CorrectedSupervisor(expert: expert)
        let result = try await HCH(task: task, supervisor: corrected, depth: depth).amplifier.amplify(instances, seed: 5)
        #expect(result.answers == plain.answers)
        #expect(result.counters.rejectedActions == plain.counters.supervisorActions)
        #expect(result.counters.supervisorActions == 2 * plain.counters.supervisorActions)
        #expect(result.counters.budgetExhaustions == plain.counters.budgetExhaustions)
        #expect(result.workspaces.allSatisfy { $0.rejection == nil })
    }

    /// A supervisor that never gets it right: each main question is answered unknown after the
    /// budget's chances, and the other workspaces are not held up.
    @Test(arguments: [0, 1, 2, 5])
    func aSupervisorThatNeverLearnsIsAnsweredUnknown(chances: Int) async throws {
        let task = Fixtures.task("wildcard", preset: "small")
        let instances = Fixtures.instances(of: task, count: 2, seed: 8)
        let budget = AmplificationBudget(retriesPerAction: chances)
        let amplifier = Amplifier(
            task: task, supervisor: CorrectedSupervisor(expert: ScriptedExpert(task: task), learns: false),
            assistant: ConstantAssistant.unknown(in: TaskDomain(task)),
            configuration: AmplifierConfiguration(budget: budget))
        let result = try await amplifier.amplify(instances, seed: 8)
        let questions = instances.reduce(0) { $0 + $1.questions.count }
        #expect(result.answers == Array(repeating: TaskDomain(task).unknownAnswer, count: questions))
        #expect(result.counters.rejectedActions == questions * (chances + 1))
        #expect(result.counters.budgetExhaustions == questions)
        #expect(result.workspaces.allSatisfy { $0.exchanges.isEmpty })
    }

    /// The reason names what was wrong: the length, or a token outside the vocabulary.
    @Test func theReasonSaysWhatIsWrong() async throws {
        let task = Fixtures.task("permutation", preset: "small")
        let instances = Fixtures.instances(of: task, count: 1, seed: 2)
        let outside = task.vocabulary.count
        let seen = ReasonRecorder(actions: [
            .answer(.tokens(Tokens(repeating: 1, count: task.answerLength + 1))),
            .ask(.tokens(Tokens(repeating: outside, count: task.questionLength))),
            .answer(.tokens(Tokens(repeating: 1, count: task.answerLength))),
        ])
        let amplifier = Amplifier(
            task: task, supervisor: seen, assistant: ConstantAssistant.unknown(in: TaskDomain(task)),
            configuration: AmplifierConfiguration(budget: AmplificationBudget(retriesPerAction: 2)))
        let result = try await amplifier.run(
            [AssistantQuery(context: 0, question: .tokens(instances[0].questions[0]), seed: 1)],
            contexts: InstanceContext.contexts(for: instances, task: task))
        #expect(
            seen.reasons.map { $0?.description } == [
                nil, "an answer takes \(task.answerLength) tokens, not \(task.answerLength + 1)",
                "a sub-question uses token \(outside), outside the task's \(outside)",
            ])
        #expect(result.answers == [.tokens(Tokens(repeating: 1, count: task.answerLength))])
        #expect(result.counters.rejectedActions == 2 && result.counters.budgetExhaustions == 0)
    }
}

/// The expert, but each action first comes out one token short; once the workspace shows the
/// rejection it acts right (unless `learns` is false).
private struct CorrectedSupervisor: SynchronousSupervisor {
    let expert: ScriptedExpert
    var learns = true

    var agent: Agent { .program("corrected") }

    func action(on workspace: Workspace) -> SupervisorAction {
        let right = expert.action(on: workspace)
        if learns && workspace.rejection != nil { return right }
        switch right {
        case .ask(let question): return .ask(.tokens(question.tokens.dropLast()))
        case .answer(let answer): return .answer(.tokens(answer.tokens.dropLast()))
        }
    }
}

/// Gives `actions` in order and records the rejection each workspace showed when asked.
// Safe: `recorded` is touched only under `lock`.
private final class ReasonRecorder: SynchronousSupervisor, @unchecked Sendable {
    var agent: Agent { .program("reason-recorder") }
    let actions: [SupervisorAction]
    private let lock = NSLock()
    private var recorded: [ActionRejection?] = []

    init(actions: [SupervisorAction]) {
        self.actions = actions
    }

    var reasons: [ActionRejection?] { lock.withLock { recorded } }

    func action(on workspace: Workspace) -> SupervisorAction {
        lock.withLock {
            recorded.append(workspace.rejection)
            return actions[min(recorded.count - 1, actions.count - 1)]
        }
    }
}
