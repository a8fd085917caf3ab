import Foundation
import Testing

@testable import Store

@Suite struct RunBatchTests {
    @Test func aBatchIsEmptyOnlyWithoutAnyRecord() {
        var batch = RunBatch()
        #expect(batch.isEmpty)
        batch.traces.append(TraceRecord(step: 0, task: "sort", question: "q", trace: "t"))
        #expect(!batch.isEmpty)
        #expect(!RunBatch(metrics: [MetricSample(step: 0, name: "loss", value: 1)]).isEmpty)
        #expect(
            !RunBatch(evaluations: [
                EvaluationRecord(step: 0, model: .x, depth: 0, count: 1, correct: 0)
            ]).isEmpty)
        #expect(
            !RunBatch(
                checkpoint: CheckpointRecord(
                    step: 0, formatVersion: 1, payload: [], trainerState: "{}",
                    createdAt: StoreFixtures.day)
            ).isEmpty)
    }
}
