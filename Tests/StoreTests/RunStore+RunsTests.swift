import Foundation
import GRDB
import PropertyBased
import Testing

@testable import Store

@Suite struct RunStoreRunsTests {
    @Test(arguments: RunKind.allCases, [0, 42, UInt64.max])
    func createdRunsRoundTripEveryField(kind: RunKind, seed: UInt64) throws {
        let directory = try TemporaryDirectory()
        let path: String = directory.path("ida.sqlite")
        let created = try SQLiteStore(path: path).createRun(
            StoreFixtures.newRun(kind: kind, seed: seed, at: 1.5))
        let stored = try SQLiteStore(path: path).run(id: created.id)
        #expect(stored == created)
        #expect(stored.kind == kind && stored.seed == seed && stored.status == .running)
        #expect(stored.createdAt == StoreFixtures.time(1.5) && stored.updatedAt == stored.createdAt)
        #expect(stored.wallSeconds == 0 && stored.report == nil && stored.parentID == nil)
        #expect(stored.configuration == #"{"steps":100,"learningRate":0.001}"#)
    }

    @Test func arbitraryTextAndSeedsRoundTripExactly() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStore(path: directory.path("ida.sqlite"))
        // Any text of scalars from U+0001 to below the surrogates (controls, quotes, accents,
        // CJK), any seed. NUL is a precondition failure, tested below.
        let text = Gen.character(in: "\u{1}"..."\u{D7FF}").string(of: 0...40)
        await propertyCheck(count: 40, input: text, text, Gen.uint64(in: .min ... .max)) {
            task, configuration, seed in
            var new = StoreFixtures.newRun(task: task, seed: seed)
            new.configuration = configuration
            let created = try store.createRun(new)
            let stored = try store.run(id: created.id)
            #expect(stored == created)
            #expect(stored.task == task && stored.configuration == configuration)
            #expect(stored.seed == seed)
        }
    }

    @Test func runsOfOneInvocationAreGroupedUnderTheirParent() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStore(path: directory.path("ida.sqlite"))
        let group = try store.createRun(StoreFixtures.newRun(kind: .group))
        let ia = try store.createRun(StoreFixtures.newRun(kind: .ia, parentID: group.id, at: 1))
        let supervised = try store.createRun(
            StoreFixtures.newRun(kind: .supervised, parentID: group.id, at: 2))
        let other = try store.createRun(StoreFixtures.newRun(kind: .ia, at: 3))
        #expect(try store.children(of: group.id) == [ia, supervised])
        #expect(try store.children(of: other.id).isEmpty)
        #expect(ia.parentID == group.id && supervised.parentID == group.id)
        #expect(try store.runs().map(\.id) == [other.id, supervised.id, ia.id, group.id])
        #expect(Set([group.id, ia.id, supervised.id, other.id]).count == 4)
    }

    /// Ids are drawn, not counted from the stored runs: equal inputs into two empty databases give
    /// different ids (counted ids were equal, and so were those of two transactions of a database
    /// that runs them concurrently, which SQLite does not).
    @Test func idsAreDrawnNotCounted() throws {
        let directory = try TemporaryDirectory()
        let first = try SQLiteStore(path: directory.path("a.sqlite")).createRun(StoreFixtures.newRun(seed: 9)).id
        let second = try SQLiteStore(path: directory.path("b.sqlite")).createRun(StoreFixtures.newRun(seed: 9)).id
        #expect(first != second, "two draws of 32 bits collide with probability 2^-32")
    }

    /// Stores creating runs in one file at once (as processes would) get distinct ids.
    @Test func processesCreatingRunsAtOnceGetDistinctIds() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ida.sqlite")
        _ = try SQLiteStore(path: path)
        let ids = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    // Each task its own store, as each process would have.
                    let store = try SQLiteStore(path: path)
                    return try (0..<25).map { _ in try store.createRun(StoreFixtures.newRun(seed: 9)).id }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(ids.count == 100 && Set(ids).count == 100)
        #expect(ids.allSatisfy { $0.hasPrefix("r-20261128-") && $0.count == "r-20261128-".count + 8 })
        #expect(try SQLiteStore(path: path).runs().count == 100)
    }

    @Test func unknownIdsThrowRunNotFound() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStore(path: directory.path("ida.sqlite"))
        #expect(throws: StoreError.runNotFound(id: "r-nope")) { try store.run(id: "r-nope") }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) { try store.children(of: "r-nope") }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.updateRun("r-nope", status: .failed, updatedAt: StoreFixtures.day)
        }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) { try store.deleteRun("r-nope") }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.createRun(StoreFixtures.newRun(parentID: "r-nope"))
        }
        #expect(try store.runs().isEmpty)
    }

    @Test(arguments: RunStatus.allCases)
    func updatesSetStatusTimesAndReportAndKeepWhatIsNotGiven(status: RunStatus) throws {
        let directory = try TemporaryDirectory()
        let (store, run) = try StoreFixtures.storeWithRun(in: directory)
        let first = try store.updateRun(
            run.id, status: .running, updatedAt: StoreFixtures.time(10), wallSeconds: 9.5)
        #expect(first.wallSeconds == 9.5 && first.updatedAt == StoreFixtures.time(10))
        let second = try store.updateRun(
            run.id, status: status, updatedAt: StoreFixtures.time(20), report: #"{"accuracy":0.97}"#
        )
        #expect(
            second.status == status && second.wallSeconds == 9.5
                && second.report == #"{"accuracy":0.97}"#)
        #expect(second.createdAt == run.createdAt && second.updatedAt == StoreFixtures.time(20))
        #expect(try store.run(id: run.id) == second)
    }

    /// Progress recorded by a training loop after another thread marked the run (ctrl-C marks it
    /// interrupted) keeps the mark.
    @Test(arguments: RunStatus.allCases)
    func progressKeepsTheStatus(status: RunStatus) throws {
        let directory = try TemporaryDirectory()
        let (store, run) = try StoreFixtures.storeWithRun(in: directory)
        try store.updateRun(run.id, status: status, updatedAt: StoreFixtures.time(10), report: "{}")
        try store.recordProgress(run.id, updatedAt: StoreFixtures.time(20), wallSeconds: 3.25)
        let stored = try #require(try store.run(id: run.id))
        #expect(stored.status == status && stored.report == "{}")
        #expect(stored.wallSeconds == 3.25 && stored.updatedAt == StoreFixtures.time(20))
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.recordProgress("r-nope", updatedAt: StoreFixtures.time(30), wallSeconds: 1)
        }
    }

    @Test func deletingAGroupDeletesItsRunsAndEverythingRecordedForThem() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStore(path: directory.path("ida.sqlite"))
        let group = try store.createRun(StoreFixtures.newRun(kind: .group))
        let ia = try store.createRun(StoreFixtures.newRun(kind: .ia, parentID: group.id))
        let kept = try store.createRun(StoreFixtures.newRun(kind: .supervised))
        for id in [ia.id, kept.id] {
            try store.commit(
                RunBatch(
                    metrics: [MetricSample(step: 1, name: "loss", value: 2)],
                    evaluations: [
                        EvaluationRecord(step: 1, model: .x, depth: 0, count: 4, correct: 3)
                    ],
                    traces: [TraceRecord(step: 1, task: "sort", question: "q", trace: "t")],
                    checkpoint: CheckpointRecord(
                        step: 1, formatVersion: 1, payload: [1, 2], trainerState: "{}",
                        createdAt: StoreFixtures.day)),
                run: id)
        }
        try store.deleteRun(group.id)
        #expect(try store.runs() == [kept])
        let leftovers = try store.pool.read { db in
            try ["metric", "evaluation", "trace", "checkpoint"].map { table in
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM \(table) WHERE runId <> ?", arguments: [kept.id])
                    ?? -1
            }
        }
        #expect(leftovers == [0, 0, 0, 0])
        #expect(try store.metricSeries("loss", run: kept.id).count == 1)
    }

    // Captured values cross into the child process as JSON, which has no NaN.
    @Test(arguments: ["-1", "nan"])
    func aNegativeOrNaNWallTimeTraps(wallSeconds: String) async throws {
        let directory = try TemporaryDirectory()  // removed by the parent after the child trapped
        let path: String = directory.path("ida.sqlite")
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent])
        { [wallSeconds, path = path as String] in
            let store = try SQLiteStore(path: path)
            let run = try store.createRun(StoreFixtures.newRun())
            try store.updateRun(
                run.id, status: .completed, updatedAt: StoreFixtures.day,
                wallSeconds: Double(wallSeconds) ?? 0)
        }
        TrapMessage.expect(result, contains: "updateRun: wallSeconds must be finite and >= 0")
    }

    @Test(arguments: ["task", "configuration", "report"])
    func textWithANULCharacterTraps(field: String) async throws {
        let directory = try TemporaryDirectory()  // removed by the parent after the child trapped
        let path: String = directory.path("ida.sqlite")
        let result = await #expect(
            processExitsWith: .failure, observing: [\.standardErrorContent]
        ) { [field, path = path as String] in
            let store = try SQLiteStore(path: path)
            var new = StoreFixtures.newRun()
            switch field {
            case "task": new.task = "so\u{0}rt"
            case "configuration": new.configuration = "{\u{0}}"
            default: break
            }
            let run = try store.createRun(new)
            try store.updateRun(
                run.id, status: .completed, updatedAt: StoreFixtures.day, report: "\u{0}")
        }
        let operation = field == "report" ? "updateRun" : "createRun"
        TrapMessage.expect(result, contains: "\(operation): \(field) contains a NUL character")
    }
}
