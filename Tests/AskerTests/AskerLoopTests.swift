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
        var configuration = AskerConfiguration.tiny
        configuration.pausesWhenAccurate = false
        let loop = AskerLoop(task: task, configuration: configuration, seed: seed, demonstrationAmplifier: Fixtures.groundTruth)
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

    /// Once the fresh-loss average is below the second threshold H′ forgoes its steps; with
    /// pausing off it takes them all. (Thresholds raised so the average is "low" at once.)
    @Test(arguments: [true, false])
    func accurateHPrimePausesItsTraining(pauses: Bool) async throws {
        var configuration = AskerConfiguration.tiny
        configuration.pausesWhenAccurate = pauses
        configuration.leadSteps = 3
        configuration.schedule = DemonstrationScheduleConfiguration(
            initialDemonstrations: 40, batchSize: 40, firstLossThreshold: 1000, secondLossThreshold: 100, horizonScale: 50)
        let loop = AskerLoop(task: Fixtures.task, configuration: configuration, seed: 2, demonstrationAmplifier: Fixtures.groundTruth)
        for step in [0, 2, 4] {
            try await loop.update(answererStep: step, assistant: GroundTruthAssistant(), instanceSize: Fixtures.task.size)
        }
        #expect(loop.schedule.rate == 0.01)
        #expect(loop.trainer.stepCount == (pauses ? 0 : 7))
        #expect(loop.pausedSteps == (pauses ? 7 : 0))
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
