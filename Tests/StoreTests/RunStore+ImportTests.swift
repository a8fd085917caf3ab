import Foundation
import StoreTestSupport
import Testing

@testable import Store

@Suite struct RunStoreImportTests {
    /// A group and its `ia` run with records of every kind (a NaN metric included).
    static func storeRuns(in store: any ServerStore) throws -> (group: RunRecord, ia: RunRecord) {
        let group = try store.createRun(StoreFixtures.newRun(kind: .group))
        let ia = try store.createRun(StoreFixtures.newRun(kind: .ia, parentID: group.id, at: 1))
        for step in [100, 200, 300] {
            try store.commit(
                RunBatch(
                    metrics: [
                        MetricSample(step: step, name: "loss", value: 1 / Double(step)),
                        MetricSample(step: step, name: "accuracy", value: step == 200 ? .nan : 0.5),
                    ],
                    evaluations: [EvaluationRecord(step: step, model: .x, depth: 1, count: 8, correct: 5)],
                    traces: [TraceRecord(step: step, task: "sort", question: "q\(step) ✓", trace: "{}")],
                    checkpoint: CheckpointRecord(
                        step: step, formatVersion: 1, payload: [UInt8(step / 100), 0, 255], trainerState: "{}",
                        createdAt: StoreFixtures.time(Double(step))),
                    counters: RunCounters(supervisor: .learned, counts: ["steps": step], askerAnswerAccuracy: 0.5)),
                run: ia.id)
        }
        try store.recordWorkspaces(
            [
                WorkspaceRecord(
                    id: "1", parentID: nil, depth: 0, context: 0, question: "Q", answer: "A", answeredBy: "supervisor",
                    state: .answered, detail: "{}"),
                WorkspaceRecord(
                    id: "1.1", parentID: "1", depth: 1, context: 0, question: "q", answer: nil, answeredBy: nil,
                    state: .waiting, detail: "{}"),
            ],
            run: ia.id, report: #"{"done":false}"#, updatedAt: StoreFixtures.time(400))
        _ = try store.addCorrection(
            CorrectionRecord(run: ia.id, node: "1", author: "ada", at: StoreFixtures.time(410), before: "A", after: "B", reason: "✓"))
        _ = try store.addCorrection(
            CorrectionRecord(run: ia.id, node: "1", author: "bo", at: StoreFixtures.time(420), before: "B", after: "B"))
        try store.appendAudit([
            AuditEntry(at: StoreFixtures.time(405), user: "bo", action: .answer, run: ia.id, node: "1", detail: "A", seconds: 3.5),
            AuditEntry(at: StoreFixtures.time(410), user: "ada", action: .correct, run: ia.id, node: "1", detail: "v1: B"),
        ])
        return (group, try store.updateRun(ia.id, status: .interrupted, updatedAt: StoreFixtures.time(500), wallSeconds: 12.5))
    }

    /// Every archive comes back the same from the other store, whichever way it goes.
    @Test(arguments: StoreBackend.available, StoreBackend.available)
    func anImportedRunReadsBackAsItWasArchived(from source: StoreBackend, to destination: StoreBackend) throws {
        let (sourceDatabase, destinationDatabase) = try (FreshDatabase(source), FreshDatabase(destination))
        let (from, to) = try (sourceDatabase.open(), destinationDatabase.open())
        let (group, ia) = try Self.storeRuns(in: from)
        let archives = try [group.id, ia.id].map { try from.archive(run: $0) }
        for archive in archives { try to.importRun(archive) }
        let copied = try [group.id, ia.id].map { try to.archive(run: $0) }
        // NaN is not equal to itself: compare the metrics by their bits.
        #expect(copied.map(\.run) == archives.map(\.run))
        #expect(copied[1].metrics.map(\.value.bitPattern) == archives[1].metrics.map(\.value.bitPattern))
        #expect(copied[1].metrics.map(\.step) == [100, 200, 300, 100, 200, 300])
        #expect(copied[1].evaluations == archives[1].evaluations && copied[1].traces == archives[1].traces)
        #expect(copied[1].checkpoints == archives[1].checkpoints && copied[1].checkpoints.map(\.step) == [100, 200, 300])
        #expect(copied[1].counters == archives[1].counters && copied[1].workspaces == archives[1].workspaces)
        #expect(copied[1].corrections == archives[1].corrections && archives[1].corrections.map(\.version) == [1, 2])
        let withoutSequence = { (entries: [AuditEntry]) in entries.map { entry in var entry = entry; entry.sequence = 0; return entry } }
        #expect(withoutSequence(copied[1].audit) == withoutSequence(archives[1].audit) && archives[1].audit.count == 2)
        #expect(try to.children(of: group.id) == [ia])
    }

    @Test(arguments: StoreBackend.available)
    func anImportThatCannotBeWritesNothing(backend: StoreBackend) throws {
        let (sourceDatabase, destinationDatabase) = try (FreshDatabase(.sqlite), FreshDatabase(backend))
        let (from, to) = try (sourceDatabase.open(), destinationDatabase.open())
        let (group, ia) = try Self.storeRuns(in: from)
        #expect(throws: StoreError.runNotFound(id: group.id)) { try to.importRun(from.archive(run: ia.id)) }
        #expect(try to.runs().isEmpty)
        try to.importRun(from.archive(run: group.id))
        #expect(throws: StoreError.runExists(id: group.id)) { try to.importRun(from.archive(run: group.id)) }
        #expect(try to.runs() == [group])
    }
}
