import Amplification
import Foundation
import IDATestSupport
import PropertyBased
import SeededRandom
import Synchronization
import Tasks
import Testing

@Suite struct AmplificationBudgetTests {
    /// Candidate questions for a random supervisor: the main questions and the expert's first
    /// sub-question of each (often a leaf).
    static func candidates(_ task: any AmplificationTask, _ instances: [TaskInstance]) -> [Tokens] {
        let main = instances.flatMap(\.questions)
        let expert = ScriptedExpert(task: task)
        let firstAsks = main.compactMap { question -> Tokens? in
            guard case .ask(let sub) = expert.action(on: Workspace(question: question, subquestionsLeft: 1)) else {
                return nil
            }
            return sub.tokens
        }
        return main + firstAsks
    }

    /// Both engine paths: the synchronous fast path, and the batched async one. In HCH they order
    /// the work differently (depth first, in turns), so which workspaces a run-wide budget cuts off
    /// differs; where neither run ran out of one, they did the same work.
    @Test(arguments: Fixtures.taskNames, [false, true])
    func budgetsAreNeverExceeded(taskName: String, asynchronous: Bool) async throws {
        let task = Fixtures.task(taskName, preset: "tiny")
        let compared = Mutex(0)
        await propertyCheck(
            count: 60, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: 0...5), Gen.int(in: 0...4),
            Gen.int(in: 0...300), Gen.int(in: 0...25)
        ) { seed, subquestions, depth, actions, calls in
            let budget = AmplificationBudget(
                subquestionsPerWorkspace: subquestions, maximumDepth: depth, supervisorActions: actions,
                assistantCalls: calls)
            let instances = Fixtures.instances(of: task, count: 2, seed: seed)
            let random = RandomSupervisor(
                seed: seed, questions: Self.candidates(task, instances), askProbability: 0.7,
                answerLength: task.answerLength, vocabularySize: task.vocabulary.count)
            let supervisor: any Supervisor = asynchronous ? AsynchronousSupervisor(wrapping: random) : random
            let hch = HCH(
                task: task, supervisor: supervisor, depth: 6,
                configuration: AmplifierConfiguration(budget: budget, tracing: true))
            let result = try await hch.amplifier.amplify(instances, seed: seed)
            #expect(result.counters.supervisorActions <= actions)
            #expect(result.counters.assistantCalls <= calls)
            #expect(result.answers.count == instances.reduce(0) { $0 + $1.questions.count })
            for trace in result.traces ?? [] {
                Self.checkWorkspaces(trace, depth: 0, budget: budget)
            }
            if asynchronous {
                let synchronous = try await HCH(
                    task: task, supervisor: random, depth: 6,
                    configuration: AmplifierConfiguration(budget: budget, tracing: true)
                ).amplifier.amplify(instances, seed: seed)
                let withinBudgets = [synchronous, result].allSatisfy {
                    $0.counters.supervisorActions < actions && $0.counters.assistantCalls < calls
                }
                if withinBudgets {
                    compared.withLock { $0 += 1 }
                    #expect(synchronous.workspaces == result.workspaces)
                    var grouped = synchronous.counters
                    grouped.assistantCalls = result.counters.assistantCalls
                    #expect(grouped == result.counters)
                    // Depth first, each question for the assistant goes in the first call it can.
                    #expect(synchronous.counters.assistantCalls <= result.counters.assistantCalls)
                }
            }
        }
        if asynchronous { #expect(compared.withLock { $0 } > 0) }
    }

    /// Every workspace in the tree asked at most its quota and sits no deeper than allowed.
    static func checkWorkspaces(_ node: TraceNode, depth: Int, budget: AmplificationBudget) {
        if let workspace = node.workspace {
            #expect(depth <= budget.maximumDepth)
            #expect(workspace.exchanges.count <= budget.subquestionsPerWorkspace)
            #expect(workspace.subquestionsLeft == budget.subquestionsPerWorkspace - workspace.exchanges.count)
        }
        for child in node.children {
            checkWorkspaces(child, depth: depth + 1, budget: budget)
        }
    }

    @Test func exhaustedActionBudgetAnswersUnknownAndCounts() async throws {
        let task = Fixtures.task("permutation", preset: "small")
        let instances = Fixtures.instances(of: task, count: 2, seed: 1)
        let questionCount = instances.reduce(0) { $0 + $1.questions.count }
        let budget = AmplificationBudget(supervisorActions: questionCount / 2)
        let result = try await HCH(
            task: task, supervisor: ScriptedExpert(task: task), depth: 2,
            configuration: AmplifierConfiguration(budget: budget)
        ).amplifier.amplify(instances, seed: 1)
        #expect(result.counters.supervisorActions == questionCount / 2)
        let unknown = TaskDomain(task).unknownAnswer
        #expect(result.answers.count { $0 == unknown } >= questionCount - questionCount / 2)
        #expect(result.counters.budgetExhaustions >= questionCount - questionCount / 2)
    }

    @Test func presetsAllowEveryExpert() {
        for budget in [AmplificationBudget.tiny, .small, .paper] {
            #expect(budget.subquestionsPerWorkspace >= 9)
            #expect(budget.maximumDepth >= 13)
        }
    }

    @Test func negativeLimitTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = AmplificationBudget(subquestionsPerWorkspace: -1)
        }
    }

    /// Budgets stored before `retriesPerAction` existed read it as 2; a negative limit in a file is
    /// a decoding error, not a trap.
    @Test func storedBudgetsDecode() throws {
        let old = #"{"subquestionsPerWorkspace":16,"maximumDepth":64,"supervisorActions":5,"assistantCalls":6}"#
        let budget = try JSONDecoder().decode(AmplificationBudget.self, from: Data(old.utf8))
        #expect(budget == AmplificationBudget(supervisorActions: 5, assistantCalls: 6, retriesPerAction: 2))
        let now = AmplificationBudget(subquestionsPerWorkspace: 3, retriesPerAction: 7)
        #expect(try JSONDecoder().decode(AmplificationBudget.self, from: JSONEncoder().encode(now)) == now)
        let negative = #"{"subquestionsPerWorkspace":-1,"maximumDepth":64,"supervisorActions":5,"assistantCalls":6}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(AmplificationBudget.self, from: Data(negative.utf8))
        }
    }
}

/// Hides a synchronous supervisor behind the async batched protocol (the engine's slow path).
struct AsynchronousSupervisor: Supervisor {
    var agent: Agent { .program("asynchronous") }
    let wrapped: any SynchronousSupervisor
    init(wrapping supervisor: any SynchronousSupervisor) { wrapped = supervisor }
    func act(on workspace: Workspace) async throws -> SupervisorAction { wrapped.action(on: workspace) }
}
