import Foundation
import GRDB
import PropertyBased
import StoreTestSupport
import Testing

@testable import Store

/// Every test here runs against each backend in ``StoreBackend/available``: the conformance of
/// ``SQLiteStore`` and ``PostgresStore`` to ``RunStore``.
@Suite struct RunStoreRunsTests {
    @Test(arguments: StoreBackend.available, [0, 42, UInt64.max])
    func createdRunsRoundTripEveryField(backend: StoreBackend, seed: UInt64) throws {
        let database = try FreshDatabase(backend)
        for kind in RunKind.allCases {
            let created = try database.open().createRun(StoreFixtures.newRun(kind: kind, seed: seed, at: 1.5))
            let stored = try database.open().run(id: created.id)
            #expect(stored == created)
            #expect(stored.kind == kind && stored.seed == seed && stored.status == .running)
            #expect(stored.createdAt == StoreFixtures.time(1.5) && stored.updatedAt == stored.createdAt)
            #expect(stored.wallSeconds == 0 && stored.report == nil && stored.parentID == nil)
            #expect(stored.configuration == #"{"steps":100,"learningRate":0.001}"#)
        }
    }

    @Test(arguments: StoreBackend.available)
    func arbitraryTextAndSeedsRoundTripExactly(backend: StoreBackend) async throws {
        let database = try FreshDatabase(backend)
        let store = try database.open()
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

    @Test(arguments: StoreBackend.available)
    func runsOfOneInvocationAreGroupedUnderTheirParent(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let store = try database.open()
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
    @Test(arguments: StoreBackend.available)
    func idsAreDrawnNotCounted(backend: StoreBackend) throws {
        let (one, other) = try (FreshDatabase(backend), FreshDatabase(backend))
        let first = try one.open().createRun(StoreFixtures.newRun(seed: 9)).id
        let second = try other.open().createRun(StoreFixtures.newRun(seed: 9)).id
        #expect(first != second, "two draws of 32 bits collide with probability 2^-32")
    }

    /// Stores creating runs in one file at once (as processes would) get distinct ids.
    @Test(arguments: StoreBackend.available)
    func processesCreatingRunsAtOnceGetDistinctIds(backend: StoreBackend) async throws {
        let database = try FreshDatabase(backend)
        let locator = database.locator
        _ = try database.open()
        let ids = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    // Each task its own store, as each process would have.
                    let store = try FreshDatabase.open(locator)
                    return try (0..<25).map { _ in try store.createRun(StoreFixtures.newRun(seed: 9)).id }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(ids.count == 100 && Set(ids).count == 100)
        #expect(ids.allSatisfy { $0.hasPrefix("r-20261128-") && $0.count == "r-20261128-".count + 8 })
        #expect(try database.open().runs().count == 100)
    }

    @Test(arguments: StoreBackend.available)
    func unknownIdsThrowRunNotFound(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let store = try database.open()
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

    @Test(arguments: StoreBackend.available, RunStatus.allCases)
    func updatesSetStatusTimesAndReportAndKeepWhatIsNotGiven(backend: StoreBackend, status: RunStatus) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
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
    @Test(arguments: StoreBackend.available, RunStatus.allCases)
    func progressKeepsTheStatus(backend: StoreBackend, status: RunStatus) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        try store.updateRun(run.id, status: status, updatedAt: StoreFixtures.time(10), report: "{}")
        try store.recordProgress(run.id, updatedAt: StoreFixtures.time(20), wallSeconds: 3.25)
        let stored = try #require(try store.run(id: run.id))
        #expect(stored.status == status && stored.report == "{}")
        #expect(stored.wallSeconds == 3.25 && stored.updatedAt == StoreFixtures.time(20))
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.recordProgress("r-nope", updatedAt: StoreFixtures.time(30), wallSeconds: 1)
        }
    }

    @Test(arguments: StoreBackend.available)
    func deletingAGroupDeletesItsRunsAndEverythingRecordedForThem(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let store = try database.open()
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
        let leftovers = try ["metric", "evaluation", "trace", "checkpoint"].map { table in
            try database.integer("SELECT count(*) FROM \(table) WHERE runId <> '\(kept.id)'", in: store)
        }
        #expect(leftovers == [0, 0, 0, 0])
        #expect(try store.metricSeries("loss", run: kept.id).count == 1)
    }

    // Captured values cross into the child process as JSON, which has no NaN.
    @Test(arguments: StoreBackend.available, ["-1", "nan"])
    func aNegativeOrNaNWallTimeTraps(backend: StoreBackend, wallSeconds: String) async throws {
        let database = try FreshDatabase(backend)  // removed by the parent after the child trapped
        let locator = database.locator
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent])
        { [wallSeconds, locator = locator as String] in
            let store = try FreshDatabase.open(locator)
            let run = try store.createRun(StoreFixtures.newRun())
            try store.updateRun(
                run.id, status: .completed, updatedAt: StoreFixtures.day,
                wallSeconds: Double(wallSeconds) ?? 0)
        }
        TrapMessage.expect(result, contains: "updateRun: wallSeconds must be finite and >= 0")
    }

    @Test(arguments: StoreBackend.available, ["task", "configuration", "report"])
    func textWithANULCharacterTraps(backend: StoreBackend, field: String) async throws {
        let database = try FreshDatabase(backend)  // removed by the parent after the child trapped
        let locator = database.locator
        let result = await #expect(
            processExitsWith: .failure, observing: [\.standardErrorContent]
        ) { [field, locator = locator as String] in
            let store = try FreshDatabase.open(locator)
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
