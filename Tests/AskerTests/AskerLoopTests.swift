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
        configuration.pauseLoss = nil
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

    /// Once the fresh-loss average is below the pause loss H′ forgoes its steps; with pausing
    /// off it takes them all. (Thresholds raised so the average is "low" at once.)
    @Test(arguments: [true, false])
    func accurateHPrimePausesItsTraining(pauses: Bool) async throws {
        var configuration = AskerConfiguration.tiny
        configuration.pauseLoss = pauses ? 100 : nil
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

    /// H′ paced at half a step per X step takes ⌊step / 2⌋ + lead steps.
    @Test func fractionalPaceRoundsDown() async throws {
        var configuration = AskerConfiguration.tiny
        configuration.pauseLoss = nil
        configuration.stepsPerAnswererStep = 0.5
        configuration.leadSteps = 3
        let loop = AskerLoop(task: Fixtures.task, configuration: configuration, seed: 3, demonstrationAmplifier: Fixtures.groundTruth)
        for step in [0, 1, 3, 6] {
            try await loop.update(answererStep: step, assistant: GroundTruthAssistant(), instanceSize: Fixtures.task.size)
            #expect(loop.trainer.stepCount == (loop.trainer.isReady ? step / 2 + 3 : 0), "step \(step)")
        }
        #expect(loop.trainer.stepCount == 6)
    }

    /// The actions H′ defers during an amplification are expert calls: the loop counts them into
    /// the schedule when told, once, beside the demonstrations'; an untrained H′ with a deferral
    /// probability of 1 defers every action, so the targets are the scripted expert's. A loop
    /// given a demonstrator (a person) never defers.
    @Test func deferredActionsAreCountedAsExpertCalls() async throws {
        var configuration = AskerConfiguration.tiny
        configuration.leadSteps = 0
        configuration.stepsPerAnswererStep = 0
        configuration.deferralProbability = 1
        let task = Fixtures.task
        let loop = AskerLoop(task: task, configuration: configuration, seed: 5, demonstrationAmplifier: Fixtures.groundTruth)
        let update = try await loop.update(answererStep: 0, assistant: GroundTruthAssistant(), instanceSize: task.size)
        #expect(update.expertCalls > 0 && loop.schedule.expertCalls == update.expertCalls)
        let instances = Fixtures.instances(count: 20, seed: 6)
        func amplify(_ supervisor: any Supervisor) async throws -> AmplificationResult {
            try await Amplifier(task: task, supervisor: supervisor, assistant: GroundTruthAssistant(), configuration: Fixtures.groundTruth)
                .amplify(instances, seed: 1)
        }
        let deferring = try await amplify(loop.supervisor)
        let scripted = try await amplify(ScriptedExpert(task: task))
        #expect(deferring.answers == scripted.answers)
        let deferred = loop.recordDeferredCalls()
        #expect(deferred > 0 && deferred <= scripted.counters.supervisorActions)
        #expect(loop.schedule.expertCalls == update.expertCalls + deferred)
        #expect(loop.recordDeferredCalls() == 0 && loop.schedule.expertCalls == update.expertCalls + deferred)

        let person = AskerLoop(
            task: task, configuration: configuration, seed: 5, demonstrationAmplifier: Fixtures.groundTruth,
            demonstrator: { _ in ScriptedExpert(task: task) })
        #expect(person.supervisor.deferral == nil && loop.supervisor.deferral != nil)
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
