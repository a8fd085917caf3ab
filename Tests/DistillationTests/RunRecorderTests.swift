import Distillation
import Foundation
import Testing

@Suite struct RunRecorderTests {
    final class Collector: RunRecorder, @unchecked Sendable {
        private let lock = NSLock()
        private(set) var kinds: [String] = []

        func record(_ event: TrainingEvent) async throws {
            let kind: String
            switch event {
            case .step: kind = "step"
            case .generation: kind = "generation"
            case .evaluation: kind = "evaluation"
            case .checkpoint: kind = "checkpoint"
            case .roundEnd: kind = "roundEnd"
            }
            lock.withLock { kinds.append(kind) }
        }
    }

    @Test(arguments: [TrainingSchedule.continuous, .rounds])
    func recorderReceivesEveryEventInOrder(schedule: TrainingSchedule) async throws {
        let configuration = TestFixtures.configuration(steps: 10, checkpointInterval: 5)
        let collector = Collector()
        let distiller = try Distiller(
            task: TestFixtures.task("permutation"), configuration: configuration, schedule: schedule, seed: 1)
        let report = try await distiller.run(recorder: collector)
        let kinds = collector.kinds
        #expect(kinds.first == "generation")
        #expect(kinds.filter { $0 == "step" }.count == report.counters.steps)
        #expect(kinds.filter { $0 == "evaluation" }.count == report.evaluations.count)
        #expect(kinds.contains("checkpoint"))
        #expect(kinds.filter { $0 == "roundEnd" }.count == report.rounds.count)
        if schedule == .continuous { #expect(kinds.last == "evaluation") }
    }
}
