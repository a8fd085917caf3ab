import Amplification
import Asker
import NeuralNetworks
import Tasks
import Testing

@Suite struct AskerLoopTests {
    /// The loop as the distillation loop drives it: demonstrations follow the rate rule, H′
    /// keeps pace with X, and once H′'s fresh loss falls the rate falls with it.
    @Test(.tags(.slow), arguments: [21] as [UInt64])
    func demonstrationsSlowDownAsHPrimeLearns(seed: UInt64) async throws {
        let task = Fixtures.task
        let loop = AskerLoop(task: task, configuration: .tiny, seed: seed, demonstrationAmplifier: Fixtures.groundTruth)
        var expertCalls = 0, demonstrations = 0
        for step in stride(from: 0, through: 200, by: 20) {
            let update = try await loop.update(answererStep: step, assistant: GroundTruthAssistant(), instanceSize: task.size)
            expertCalls += update.expertCalls
            demonstrations += update.demonstrations
            #expect(Double(loop.schedule.generated) <= loop.schedule.needed)
            #expect(loop.trainer.stepCount == (loop.trainer.isReady ? step + 100 : 0))
        }
        #expect(loop.schedule.expertCalls == expertCalls && loop.schedule.generated == demonstrations)
        // 50 up front, then one per X step at rate 1: fewer means the rate fell.
        #expect(demonstrations < 50 + 200, "\(demonstrations) demonstrations, loss average \(loop.schedule.lossAverage ?? -1)")
        #expect(loop.schedule.rate < 1)
        let accuracy = try #require(loop.latestAccuracy)
        #expect(accuracy.subquestions >= 0.9 && accuracy.answers >= 0.9, "\(accuracy)")
    }

    @Test func sameSeedSameLoop() async throws {
        func run() async throws -> (Int, [Int]) {
            let loop = AskerLoop(task: Fixtures.task, configuration: .tiny, seed: 4, demonstrationAmplifier: Fixtures.groundTruth)
            try await loop.update(answererStep: 5, assistant: GroundTruthAssistant(), instanceSize: Fixtures.task.size)
            return (loop.schedule.expertCalls, loop.trainer.buffer.flatMap { $0 })
        }
        let (callsA, bufferA) = try await run()
        let (callsB, bufferB) = try await run()
        #expect(callsA == callsB && bufferA == bufferB && callsA > 0)
    }

    @Test func negativeStepRatioTraps() async {
        await #expect(processExitsWith: .failure) {
            var configuration = AskerConfiguration.tiny
            configuration.stepsPerAnswererStep = -1
            _ = AskerLoop(task: PermutationPowering(.tiny), configuration: configuration, seed: 1)
        }
    }
}
