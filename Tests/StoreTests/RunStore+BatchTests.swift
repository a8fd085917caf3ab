import Foundation
import GRDB
import Testing

@testable import Store

@Suite struct RunStoreBatchTests {
    static let batch = RunBatch(
        metrics: [
            MetricSample(step: 200, name: "loss", value: 0.42),
            MetricSample(step: 200, name: "accuracy", value: 0.9),
        ],
        evaluations: [EvaluationRecord(step: 200, model: .amp, depth: 1, count: 20, correct: 19)],
        traces: [TraceRecord(step: 200, task: "sort", question: "q", trace: "t")],
        checkpoint: CheckpointRecord(
            step: 200, formatVersion: 2, payload: [7, 7, 7], trainerState: #"{"step":200}"#,
            createdAt: StoreFixtures.time(200)))

    @Test func aBatchWritesEveryKindOfRecord() throws {
        let directory = try TemporaryDirectory()
        let (store, run) = try StoreFixtures.storeWithRun(in: directory)
        try store.commit(Self.batch, run: run.id)
        #expect(try store.metricSeries(run: run.id).values.flatMap { $0 }.count == 2)
        #expect(try store.evaluations(run: run.id) == Self.batch.evaluations)
        #expect(try store.traces(run: run.id) == Self.batch.traces)
        #expect(try store.latestCheckpoint(run: run.id) == Self.batch.checkpoint)
    }

    @Test func aBatchThatFailsHalfwayWritesNothing() throws {
        let directory = try TemporaryDirectory()
        let (store, run) = try StoreFixtures.storeWithRun(in: directory)
        // Make the last statement of the transaction fail, after the metrics were inserted.
        try store.pool.write { db in
            try db.execute(
                sql: """
                    CREATE TEMP TRIGGER failCheckpoint BEFORE INSERT ON checkpoint
                    BEGIN SELECT RAISE(ABORT, 'disk on fire'); END
                    """)
        }
        #expect(throws: DatabaseError.self) { try store.commit(Self.batch, run: run.id) }
        #expect(try store.metricNames(run: run.id).isEmpty)
        #expect(try store.evaluations(run: run.id).isEmpty)
        #expect(try store.traces(run: run.id).isEmpty)
    }

    @Test func anEmptyBatchForAnUnknownRunStillThrows() throws {
        let directory = try TemporaryDirectory()
        let (store, _) = try StoreFixtures.storeWithRun(in: directory)
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.commit(RunBatch(), run: "r-nope")
        }
    }

    @Test func aBatchWithAnInvalidCheckpointTrapsBeforeWriting() async throws {
        let directory = try TemporaryDirectory()  // removed by the parent after the child trapped
        let path: String = directory.path("ida.sqlite")
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent])
        { [path = path as String] in
            let store = try SQLiteStore(path: path)
            let run = try store.createRun(StoreFixtures.newRun())
            var batch = RunStoreBatchTests.batch
            batch.checkpoint?.formatVersion = 0
            try store.commit(batch, run: run.id)
        }
        TrapMessage.expect(result, contains: "saveCheckpoint: formatVersion must be >= 1")
    }
}
