import Foundation
import GRDB
import StoreTestSupport
import Testing

@testable import Store

@Suite struct RunStoreWorkspacesTests {
    static func record(_ id: String, state: WorkspaceState = .answered, answer: String? = "[1]") -> WorkspaceRecord {
        let parts = id.split(separator: ".")
        return WorkspaceRecord(
            id: id, parentID: parts.count > 1 ? parts.dropLast().joined(separator: ".") : nil, depth: parts.count - 1,
            context: 0, question: #"{"tokens":[3,1]}"#, answer: answer, answeredBy: answer == nil ? nil : "expert",
            state: state, detail: #"{"actions":2}"#)
    }

    /// A tree comes back in the tree's order (`1.10` after `1.9`, a parent before its children),
    /// whole or from any node down; the prefix of an id is not its subtree (`1.1` is not under `1.10`).
    @Test(arguments: StoreBackend.available)
    func treesComeBackInTheTreesOrderWholeOrFromANode(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        let ids = ["2", "1.10", "1", "1.9.1", "1.2", "1.9", "10", "1.10.3", "1.1"]
        try store.recordWorkspaces(ids.map { Self.record($0) }, run: run.id)
        #expect(try store.workspaces(run: run.id).map(\.id) == ["1", "1.1", "1.2", "1.9", "1.9.1", "1.10", "1.10.3", "2", "10"])
        #expect(try store.workspaces(run: run.id, within: "1.1").map(\.id) == ["1.1"])
        #expect(try store.workspaces(run: run.id, within: "1.10").map(\.id) == ["1.10", "1.10.3"])
        #expect(try store.workspaces(run: run.id, within: "3").isEmpty)
        #expect(try store.workspaces(run: run.id, within: "1.9").first == Self.record("1.9"))
    }

    /// A workspace written again as it changes keeps one row, the newest.
    @Test(arguments: StoreBackend.available)
    func writingAWorkspaceAgainReplacesIt(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        try store.recordWorkspaces([Self.record("1", state: .waiting, answer: nil), Self.record("1.1", state: .acting, answer: nil)], run: run.id)
        try store.recordWorkspaces([Self.record("1.1"), Self.record("1", state: .answered)], run: run.id)
        #expect(try store.workspaces(run: run.id) == [Self.record("1"), Self.record("1.1")])
        #expect(throws: StoreError.runNotFound(id: "r-nope")) { try store.recordWorkspaces([Self.record("1")], run: "r-nope") }
    }

    /// A workspace removed goes in the same write as those written: the others stay.
    @Test(arguments: StoreBackend.available)
    func aWorkspaceRemovedIsGoneAndTheRestStay(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        try store.recordWorkspaces([Self.record("1", state: .waiting, answer: nil), Self.record("1.1", state: .acting, answer: nil)], run: run.id)
        try store.recordWorkspaces(
            [Self.record("1", state: .acting, answer: nil)], removing: ["1.1"], run: run.id, report: "{}", updatedAt: Date())
        #expect(try store.workspaces(run: run.id) == [Self.record("1", state: .acting, answer: nil)])
        #expect(try store.run(id: run.id).report == "{}")
    }

    /// Deleting the run deletes its tree.
    @Test(arguments: StoreBackend.available)
    func deletingARunDeletesItsTree(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        try store.recordWorkspaces([Self.record("1"), Self.record("1.1")], run: run.id)
        try store.deleteRun(run.id)
        let left = try database.integer("SELECT count(*) FROM workspace", in: store)
        #expect(left == 0)
    }

    /// A database from before the `hch` kind: the migration rebuilds the run table and keeps
    /// every run and everything recorded for it; `hch` runs, and after the second rebuild `rlhf`
    /// runs, can then be stored.
    @Test func theRunTableMigrationKeepsEveryRowAndReference() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ida.sqlite")
        let queue = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(queue, upTo: "createRunCounters")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO run (id, parentId, kind, task, preset, schedule, configuration, seed, status, createdAt, updatedAt)
                    VALUES ('r-g', NULL, 'group', 'all', 'tiny', 'continuous', '{}', 7, 'completed', '2026-11-28 00:00:00.000', '2026-11-28 00:00:00.000'),
                           ('r-1', 'r-g', 'ia', 'sort', 'tiny', 'continuous', '{}', 7, 'interrupted', '2026-11-28 00:00:00.000', '2026-11-28 00:00:01.000')
                    """)
            try db.execute(sql: "INSERT INTO metric (runId, name, step, value) VALUES ('r-1', 'loss', 10, 0.5)")
            try db.execute(
                sql: """
                    INSERT INTO checkpoint (runId, step, formatVersion, payload, trainerState, createdAt)
                    VALUES ('r-1', 10, 1, x'00', '{}', '2026-11-28 00:00:01.000')
                    """)
        }
        try queue.close()

        let store = try SQLiteStore(path: path)
        let runs = try store.runs()
        #expect(Set(runs.map(\.id)) == ["r-g", "r-1"])
        #expect(try store.run(id: "r-1").parentID == "r-g" && store.run(id: "r-1").status == .interrupted)
        #expect(try store.metricSeries("loss", run: "r-1").map(\.value) == [0.5])
        #expect(try store.latestCheckpoint(run: "r-1")?.step == 10)
        let hch = try store.createRun(StoreFixtures.newRun(kind: .hch))
        #expect(try store.run(id: hch.id).kind == .hch)
        let rlhf = try store.createRun(StoreFixtures.newRun(kind: .rlhf))
        #expect(try store.run(id: rlhf.id).kind == .rlhf)
        try store.deleteRun(rlhf.id)
        let violations = try store.pool.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
        #expect(violations.isEmpty)
        try store.deleteRun("r-g")
        #expect(try store.runs().map(\.id) == [hch.id])
        let metrics = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM metric") }
        #expect(metrics == 0)
    }
}

@Suite struct StoreMigrationDamageTests {
    /// A file whose record of applied migrations lost its last entries, while their tables are
    /// there (damage, not an older ida): opening it fails with one line and leaves every byte.
    @Test(arguments: [["createWorkspace"], ["addHCHRunKind", "createWorkspace"], ["createTrace"], ["createRun"]])
    func aFileThatForgotItsLastMigrationsIsRejectedUntouched(forgotten: [String]) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ida.sqlite")
        let store = try SQLiteStore(path: path)
        _ = try store.createRun(StoreFixtures.newRun())
        try store.pool.writeWithoutTransaction { db in
            for identifier in forgotten {
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [identifier])
            }
            _ = try db.checkpoint(.truncate)
        }
        try store.close()
        let before = try StoreFixtures.bytes(path)
        #expect(throws: StoreError.self) { _ = try SQLiteStore(path: path) }
        #expect(try StoreFixtures.bytes(path) == before)
    }
}
