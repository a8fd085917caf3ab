import Dispatch
import IDATestSupport
import Testing

@testable import Distillation

@Suite struct NeuralAssistantStatisticsTests {
    @Test func passesAreKeptInOrder() {
        let statistics = NeuralAssistantStatistics()
        statistics.record(instances: 2, questions: 3)
        statistics.record(instances: 1, questions: 4)
        #expect(statistics.forwardPasses.map(\.instances) == [2, 1])
        #expect(statistics.forwardPasses.map(\.questions) == [3, 4])
    }

    /// Many threads record and read at once: no pass is lost, and each thread's passes keep
    /// their order.
    @Test(.tags(.concurrency)) func concurrentRecordingsAreAllKept() {
        let statistics = NeuralAssistantStatistics()
        let (threads, passes) = (8, 200)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for pass in 0..<passes {
                statistics.record(instances: thread, questions: pass)
                _ = statistics.forwardPasses.count
            }
        }
        let recorded = statistics.forwardPasses
        #expect(recorded.count == threads * passes)
        for thread in 0..<threads {
            #expect(recorded.filter { $0.instances == thread }.map(\.questions) == Array(0..<passes))
        }
    }
}
