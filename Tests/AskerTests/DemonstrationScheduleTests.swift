import Asker
import PropertyBased
import Testing

@Suite struct DemonstrationScheduleTests {
    @Test func rateFallsAsTheLossAverageCrossesTheThresholds() {
        var schedule = DemonstrationSchedule(configuration: .small)
        #expect(schedule.rate == 1 && schedule.needed == 200)
        schedule.record(demonstrations: 50, expertCalls: 150, freshLoss: 0.5)
        #expect(schedule.rate == 1)
        schedule.record(demonstrations: 50, expertCalls: 150, freshLoss: 0.001)
        // Running mean of two batches: 0.2505, still ≥ 0.1.
        #expect(abs((schedule.lossAverage ?? 0) - 0.2505) < 1e-9 && schedule.rate == 1)
        for _ in 0..<400 { schedule.record(demonstrations: 1, expertCalls: 0, freshLoss: 0.05) }
        #expect(schedule.rate == 0.1)
        for _ in 0..<200 { schedule.record(demonstrations: 1, expertCalls: 0, freshLoss: 0.001) }
        #expect(schedule.rate == 0.01)
        #expect(schedule.expertCalls == 300 && schedule.generated == 700 && schedule.lossDemonstrations == 700)
    }

    /// The average is per demonstration: one lucky demonstration at rate 0.1 moves it by
    /// 1 / (horizonScale · 0.1), not all the way (which paused H′ too early, see the type's doc).
    @Test(arguments: [1, 5, 30])
    func aBatchMovesTheAverageByItsSize(size: Int) {
        var schedule = DemonstrationSchedule(configuration: .small)
        for _ in 0..<20 { schedule.record(demonstrations: 50, expertCalls: 0, freshLoss: 0.05) }
        #expect(schedule.rate == 0.1 && abs((schedule.lossAverage ?? 0) - 0.05) < 1e-12)
        schedule.record(demonstrations: size, expertCalls: 0, freshLoss: 0)
        let weight = Double(size) / 30  // horizon 300 · 0.1 demonstrations
        #expect(abs((schedule.lossAverage ?? 0) - 0.05 * (1 - weight)) < 1e-12)
        #expect(schedule.rate == (size == 30 ? 0.01 : 0.1))
    }

    /// A batch of no demonstrations (all discarded) leaves the average alone.
    @Test func anEmptyBatchLeavesTheAverageAlone() {
        var schedule = DemonstrationSchedule(configuration: .small)
        schedule.record(demonstrations: 10, expertCalls: 30, freshLoss: 0.4)
        schedule.record(demonstrations: 0, expertCalls: 0, freshLoss: 0)
        #expect(schedule.lossAverage == 0.4 && schedule.lossBatches == 2)
    }

    @Test func neededGrowsByRateTimesNewAnswererSteps() {
        var schedule = DemonstrationSchedule(configuration: .tiny)
        #expect(schedule.pendingBatchSize == 25)
        schedule.advance(toAnswererStep: 10)
        #expect(schedule.needed == 60)
        schedule.advance(toAnswererStep: 5)  // already counted
        #expect(schedule.needed == 60 && schedule.answererSteps == 10)
        for _ in 0..<100 { schedule.record(demonstrations: 0, expertCalls: 0, freshLoss: 0.05) }
        schedule.advance(toAnswererStep: 30)
        #expect(abs(schedule.needed - 62) < 1e-9)
    }

    /// However batches arrive, generated never exceeds needed when the pending size is honoured,
    /// and needed never decreases.
    @Test func pendingBatchesNeverOvershootNeeded() async {
        await propertyCheck(input: Gen.int(in: 0...40).array(of: 1...30), Gen.float(in: 0...1).array(of: 30)) { steps, losses in
            var schedule = DemonstrationSchedule(configuration: .tiny)
            var step = 0
            var previousNeeded = schedule.needed
            for (index, increment) in steps.enumerated() {
                step += increment
                schedule.advance(toAnswererStep: step)
                let batch = schedule.pendingBatchSize
                #expect(batch >= 0 && batch <= schedule.configuration.batchSize)
                schedule.record(demonstrations: batch, expertCalls: 3 * batch, freshLoss: Double(losses[index]))
                #expect(Double(schedule.generated) <= schedule.needed)
                #expect(schedule.needed >= previousNeeded)
                previousNeeded = schedule.needed
            }
        }
    }

    @Test func negativeLossTraps() async {
        await #expect(processExitsWith: .failure) {
            var schedule = DemonstrationSchedule()
            schedule.record(demonstrations: 1, expertCalls: 1, freshLoss: -1)
        }
    }
}
