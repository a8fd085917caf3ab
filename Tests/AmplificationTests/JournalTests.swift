import Amplification
import Tasks
import Testing

/// A run's journal: what it records is the tree the run returns, and a run stopped after any
/// record resumes from it to the uninterrupted run's result.
@Suite struct JournalTests {
    /// The latest snapshot of each workspace, as a store keeps them; stops the run (throws) at
    /// record `stopAt` without keeping it, as a killed process would lose it.
    actor MemoryJournal: WorkspaceJournal {
        struct Stopped: Error {}

        private(set) var latest: [WorkspaceID: WorkspaceSnapshot] = [:]
        private(set) var progress: AmplificationProgress?
        private(set) var records = 0
        let stopAt: Int?

        init(stopAt: Int? = nil, from saved: SavedAmplification? = nil) {
            self.stopAt = stopAt
            for snapshot in saved?.workspaces ?? [] { latest[snapshot.id] = snapshot }
            progress = saved?.progress
        }

        func record(_ workspaces: [WorkspaceSnapshot], progress: AmplificationProgress) throws {
            records += 1
            if records == stopAt { throw Stopped() }
            for snapshot in workspaces { latest[snapshot.id] = snapshot }
            self.progress = progress
        }

        var saved: SavedAmplification {
            get throws {
                SavedAmplification(workspaces: Array(latest.values), progress: try #require(progress))
            }
        }
    }

    /// The scripted expert, each action after a yield, several workspaces at once: the engine
    /// then works as events arrive, with assistant calls in flight when it records.
    struct YieldingExpert: ConcurrentSupervisor {
        let expert: ScriptedExpert
        var agent: Agent { .expert }
        var maximumConcurrentActions: Int { 3 }

        func act(on workspace: Workspace) async throws -> SupervisorAction {
            await Task.yield()
            return expert.action(on: workspace)
        }
    }

    /// The amplifiers the tests run: HCH_2 (workspaces three deep, nothing for the assistant) and
    /// Amp(H, ground truth) one deep (questions left with the assistant when it records).
    static func amplifiers(task: any AmplificationTask, concurrent: Bool) -> [Amplifier] {
        let expert = ScriptedExpert(task: task)
        let supervisor: any Supervisor = concurrent ? YieldingExpert(expert: expert) : expert
        return [
            HCH(task: task, supervisor: supervisor, depth: 2).amplifier,
            Amplifier(
                task: task, supervisor: supervisor, assistant: GroundTruthAssistant(), supervisedDepth: 1,
                configuration: AmplifierConfiguration(groundTruth: .allowed)),
        ]
    }

    @Test(arguments: Fixtures.taskNames, [false, true])
    func theJournalEndsWithTheTreeTheRunReturns(taskName: String, concurrent: Bool) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        let (contexts, queries) = Fixtures.mainQuestions(of: task, count: 2, seed: 8)
        for amplifier in Self.amplifiers(task: task, concurrent: concurrent) {
            let journal = MemoryJournal()
            let result = try await amplifier.run(queries, contexts: contexts, journal: journal)
            let saved = try await journal.saved
            #expect(saved.workspaces.allSatisfy { $0.state == .answered }, "\(amplifier.name)")
            #expect(TraceNode.trees(from: saved.workspaces, unknown: TaskDomain(task).unknownAnswer) == result.traces)
            #expect(saved.progress.counters == result.counters)
            #expect(await journal.records > 1)
        }
    }

    /// Stopped after every possible record in turn, and resumed: the same answers, the same trees,
    /// the same number of actions (nothing recorded is redone) and, in turns, the same counters
    /// as the run that was never stopped. (As events arrive, assistant calls batch questions as
    /// they happen to be ready, so their number varies from run to run.)
    @Test(arguments: ["permutation", "wildcard", "union-find"], [false, true])
    func aRunStoppedAfterAnyRecordResumesToTheUninterruptedResult(taskName: String, concurrent: Bool) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        let (contexts, queries) = Fixtures.mainQuestions(of: task, count: 2, seed: 9)
        for amplifier in Self.amplifiers(task: task, concurrent: concurrent) {
            let referenceJournal = MemoryJournal()
            let reference = try await amplifier.run(queries, contexts: contexts, journal: referenceJournal)
            let total = await referenceJournal.records
            // The first record is the main questions before any action: stopping there loses all.
            for stopAt in 2...total {
                let stopped = MemoryJournal(stopAt: stopAt)
                let label = "\(amplifier.name) stopped at record \(stopAt)"
                let result: AmplificationResult
                do {
                    // As events arrive, a run can make fewer records than the one counted.
                    result = try await amplifier.run(queries, contexts: contexts, journal: stopped)
                    #expect(concurrent, "\(label): a run in turns records the same number of times")
                } catch is MemoryJournal.Stopped {
                    let saved = try await stopped.saved
                    result = try await amplifier.resume(saved, contexts: contexts, journal: MemoryJournal(from: saved))
                }
                // Compared as booleans: the values are long enough to drown the report.
                let sameAnswers = result.answers == reference.answers
                let sameTrees = result.traces == reference.traces
                #expect(sameAnswers, "\(label)")
                #expect(sameTrees, "\(label)")
                // Nothing recorded is redone: every action is counted once, as in one run.
                #expect(result.counters.supervisorActions == reference.counters.supervisorActions, "\(label)")
                if !concurrent {
                    #expect(result.counters == reference.counters, "\(label)")
                }
            }
        }
    }

    /// Stopped after a record, any workspace's last action taken back where nothing depends on it,
    /// and resumed: the expert takes the same action again and the run ends as if nothing had been
    /// taken back (the same answers, trees and number of actions). Where something depends on it,
    /// the refusal says what. As events arrive (as with people), a record can fall between any
    /// two actions; every other record is tried, as each takes a resume per workspace.
    @Test(arguments: ["wildcard", "union-find"])
    func anActionTakenBackAndTakenAgainGrowsTheSameTree(taskName: String) async throws {
        let task = Fixtures.task(taskName, preset: "small")
        let unknown = TaskDomain(task).unknownAnswer
        let (contexts, queries) = Fixtures.mainQuestions(of: task, count: 1, seed: 11)
        for amplifier in Self.amplifiers(task: task, concurrent: true) {
            let referenceJournal = MemoryJournal()
            let reference = try await amplifier.run(queries, contexts: contexts, journal: referenceJournal)
            let total = await referenceJournal.records
            var taken: [String: Int] = [:]
            var refused = 0
            for stopAt in stride(from: 2, through: total, by: 2) {
                let stopped = MemoryJournal(stopAt: stopAt)
                guard (try? await amplifier.run(queries, contexts: contexts, journal: stopped)) == nil else { continue }
                let saved = try await stopped.saved
                for snapshot in saved.workspaces where !snapshot.actions.isEmpty {
                    let retraction: Retraction
                    do {
                        retraction = try saved.retractingLastAction(of: snapshot.id, supervisorAgent: .expert, unknown: unknown)
                    } catch {
                        refused += 1
                        #expect(error != .noSuchWorkspace(snapshot.id), "\(error)")
                        continue
                    }
                    let kind = switch snapshot.actions.last! {
                    case .answer: "answer"
                    case .ask: retraction.removed.isEmpty ? "lookup or question for the assistant" : "sub-workspace"
                    }
                    taken[kind, default: 0] += 1
                    #expect(retraction.changed.map(\.id).contains(snapshot.id))
                    #expect(!retraction.saved.workspaces.contains { retraction.removed.contains($0.id) })
                    let resumed = MemoryJournal(from: retraction.saved)
                    let result = try await amplifier.resume(retraction.saved, contexts: contexts, journal: resumed)
                    let label = "\(amplifier.name): record \(stopAt), \(snapshot.id)'s \(kind) taken back"
                    let sameAnswers = result.answers == reference.answers
                    let sameTrees = result.traces == reference.traces
                    #expect(sameAnswers, "\(label)")
                    #expect(sameTrees, "\(label)")
                    #expect(result.counters.supervisorActions == reference.counters.supervisorActions, "\(label)")
                    // Every workspace as the uninterrupted run left it, down to its random stream.
                    let sameWorkspaces = try await Set(resumed.saved.workspaces) == Set(referenceJournal.saved.workspaces)
                    #expect(sameWorkspaces, "\(label)")
                }
            }
            // Each kind of action was taken back somewhere, and something was refused.
            #expect(taken.count == 3 && refused > 0, "\(amplifier.name): \(taken), \(refused) refused")
        }
    }

    @Test func snapshotsThatAreNotATreeAreRefusedWithTheReason() async throws {
        let task = Fixtures.task("wildcard", preset: "small")
        let (contexts, queries) = Fixtures.mainQuestions(of: task, count: 1, seed: 2)
        let amplifier = HCH(task: task, supervisor: ScriptedExpert(task: task), depth: 2).amplifier
        let journal = MemoryJournal()
        _ = try await amplifier.run(queries, contexts: contexts, journal: journal)
        let saved = try await journal.saved
        // The first of the depth-2 workspaces is the first its parent's removal orphans.
        let orphan = try #require(saved.workspaces.filter { $0.id.depth == 2 }.map(\.id).min())
        var withoutParent = saved
        withoutParent.workspaces.removeAll { $0.id == orphan.parent }
        await #expect(throws: AmplificationError.unresumable("workspace \(orphan) has no parent \(orphan.parent!)")) {
            try await amplifier.resume(withoutParent, contexts: contexts)
        }
        await #expect(throws: AmplificationError.self) {
            try await amplifier.resume(saved, contexts: Array(contexts.prefix(0)))
        }
    }
}
