import Amplification
@testable import Application
import Foundation
import IDATestSupport
import Store
import Tasks
import Testing

/// Jobs: stored as their run's configuration, started and resumed from the store alone.
@Suite struct AmplificationJobTests {
    @Test func aJobIsItsRunsConfigurationAndAStoppedJobResumesToTheSameTree() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.database)
        let job = AmplificationJob(task: "wildcard", preset: "small", seed: 4, instances: 2, depth: 2)
        let task = try TaskCatalog.task(named: "wildcard", preset: "small")
        let (run, setting, result) = try await job.start(in: store, supervisor: ScriptedExpert(task: task))
        #expect(try AmplificationJob.stored(run, in: store) == job)
        #expect(try store.run(id: run).status == .completed)
        #expect(setting.queries.count == setting.instances.reduce(0) { $0 + $1.questions.count })
        let unknown = TaskDomain(task).unknownAnswer
        let trees = try StoredTree.trees(run: run, unknown: unknown, in: store)
        #expect(trees == result.traces)

        await #expect(throws: ApplicationError.invalidJob("run \(run) is already complete; nothing to resume")) {
            try await AmplificationJob.resume(run, in: store, supervisor: ScriptedExpert(task: task))
        }
        // A run stopped part-way (its status left running, as a killed process leaves it) resumes.
        try store.updateRun(run, status: .running, updatedAt: Date())
        let resumed = try await AmplificationJob.resume(run, in: store, supervisor: ScriptedExpert(task: task))
        #expect(resumed.job == job && resumed.result.answers == result.answers)
        #expect(try store.run(id: run).status == .completed)
    }

    @Test func aRunThatIsNotAJobAndAQuestionOutsideTheInstanceAreRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.database)
        let other = try store.createRun(
            NewRun(
                kind: .ia, task: "permutation", preset: "tiny", schedule: "continuous", configuration: "{}", seed: 1,
                createdAt: Date()))
        #expect(throws: ApplicationError.unreadableRun(run: other.id, problem: "it is not a stored amplification")) {
            try AmplificationJob.stored(other.id, in: store)
        }
        let job = AmplificationJob(task: "permutation", preset: "tiny", seed: 1, instances: 1, depth: 1, question: 999)
        #expect(throws: ApplicationError.self) { try job.setting() }
    }

    /// A tree of text goes into the store as it grows and reads back equal, its questions and
    /// answers in columns that say they are text.
    @Test func aTreeOfTextIsStoredAndReadBack() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.database)
        let run = try store.createRun(
            NewRun(
                kind: .hch, task: "text", preset: "-", schedule: "-", configuration: "{}", seed: 1, createdAt: Date()))
        let facts = [
            TextFacts(question: "Which day is the meeting?", facts: ["It is the day after the launch.", "The launch is on Monday."])
        ]
        let amplifier = HCH(domain: TextDomain(), supervisor: ReadEveryFact(), depth: 1).amplifier
        let result = try await amplifier.run(
            AssistantQuery.mainQuestions(of: facts, seed: 1), contexts: InstanceContext.contexts(for: facts),
            journal: StoreJournal(store: store, run: run.id))
        #expect(result.answers == ["It is the day after the launch. The launch is on Monday."])
        let trees = try StoredTree.trees(run: run.id, unknown: TextDomain().unknownAnswer, in: store)
        #expect(trees == result.traces)
        let root = try #require(try store.workspaces(run: run.id).first { $0.parentID == nil })
        #expect(root.question == #"{"text":"Which day is the meeting?"}"#)
        #expect(root.answer == #"{"text":"It is the day after the launch. The launch is on Monday."}"#)
    }
}
