import Foundation
import GRDB
import StoreTestSupport
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

    @Test(arguments: StoreBackend.available)
    func aBatchWritesEveryKindOfRecord(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        try store.commit(Self.batch, run: run.id)
        #expect(try store.metricSeries(run: run.id).values.flatMap { $0 }.count == 2)
        #expect(try store.evaluations(run: run.id) == Self.batch.evaluations)
        #expect(try store.traces(run: run.id) == Self.batch.traces)
        #expect(try store.latestCheckpoint(run: run.id) == Self.batch.checkpoint)
    }

    @Test(arguments: StoreBackend.available)
    func aBatchThatFailsHalfwayWritesNothing(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        // Make the last statement of the transaction fail, after the metrics were inserted.
        try database.execute(
            sqlite: """
                CREATE TEMP TRIGGER failCheckpoint BEFORE INSERT ON checkpoint
                BEGIN SELECT RAISE(ABORT, 'disk on fire'); END
                """,
            postgres: """
                CREATE FUNCTION failCheckpoint() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'disk on fire'; END $$ LANGUAGE plpgsql;;
                CREATE TRIGGER failCheckpoint BEFORE INSERT ON checkpoint FOR EACH ROW EXECUTE FUNCTION failCheckpoint()
                """,
            in: store)
        #expect(throws: (any Error).self) { try store.commit(Self.batch, run: run.id) }
        #expect(try store.metricNames(run: run.id).isEmpty)
        #expect(try store.evaluations(run: run.id).isEmpty)
        #expect(try store.traces(run: run.id).isEmpty)
    }

    @Test(arguments: StoreBackend.available)
    func anEmptyBatchForAnUnknownRunStillThrows(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, _) = try database.storeWithRun()
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.commit(RunBatch(), run: "r-nope")
        }
    }

    @Test(arguments: StoreBackend.available)
    func aBatchWithAnInvalidCheckpointTrapsBeforeWriting(backend: StoreBackend) async throws {
        let database = try FreshDatabase(backend)  // removed by the parent after the child trapped
        let locator = database.locator
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent])
        { [locator = locator as String] in
            let store = try FreshDatabase.open(locator)
            let run = try store.createRun(StoreFixtures.newRun())
            var batch = RunStoreBatchTests.batch
            batch.checkpoint?.formatVersion = 0
            try store.commit(batch, run: run.id)
        }
        TrapMessage.expect(result, contains: "saveCheckpoint: formatVersion must be >= 1")
    }
}
