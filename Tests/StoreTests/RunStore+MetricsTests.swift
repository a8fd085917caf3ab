import Foundation
import PropertyBased
import StoreTestSupport
import Testing

@testable import Store

@Suite struct RunStoreMetricsTests {
    @Test(arguments: StoreBackend.available, [1, 17, 500])
    func seriesRoundTripByNameAndStep(backend: StoreBackend, stepCount: Int) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        let names = ["loss", "accuracy", "curriculumSize", "examplesPerSecond"]
        let samples = (0..<stepCount).flatMap { step in
            names.enumerated().map { index, name in
                MetricSample(
                    step: step * 10, name: name, value: Double(index) + 1 / Double(step + 1))
            }
        }
        try store.appendMetrics(samples.shuffled(), run: run.id)
        let reopened = try database.open()
        #expect(try reopened.metricNames(run: run.id) == names.sorted())
        #expect(
            try reopened.metricSeries("accuracy", run: run.id)
                == samples.filter { $0.name == "accuracy" })
        let all = try reopened.metricSeries(run: run.id)
        #expect(Set(all.keys) == Set(names))
        for name in names {
            #expect(all[name] == samples.filter { $0.name == name })
        }
        #expect(try reopened.lastMetricStep(run: run.id) == (stepCount - 1) * 10)
        #expect(try reopened.metricSeries("never written", run: run.id).isEmpty)
    }

    @Test(arguments: StoreBackend.available)
    func everyDoubleRoundTripsBitForBitExceptNegativeZeroAndNaNStaysNaN(backend: StoreBackend) async throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        let specials: [Double] = [
            0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
        ]
        await propertyCheck(count: 50, input: Gen.uint64(in: .min ... .max).array(of: 1...20)) {
            patterns in
            let values = patterns.map(Double.init(bitPattern:)) + specials
            let samples = values.enumerated().map {
                MetricSample(step: $0.offset, name: "value", value: $0.element)
            }
            try store.appendMetrics(samples, run: run.id)
            let stored = try store.metricSeries("value", run: run.id).prefix(values.count).map(
                \.value)
            for (written, read) in zip(values, stored) {
                if written.isNaN {
                    #expect(read.isNaN)
                } else if written == 0 {
                    #expect(read == 0)  // SQLite stores -0.0 as the integer 0: the sign is lost.
                } else {
                    #expect(
                        read.bitPattern == written.bitPattern, "\(written) came back as \(read)")
                }
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func writingAStepAgainReplacesItsValue(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        try store.appendMetrics(
            (0..<5).map { MetricSample(step: $0, name: "loss", value: 1) }, run: run.id)
        // A run resumed from the checkpoint at step 2 writes steps 3 and 4 again.
        try store.appendMetrics(
            (3..<6).map { MetricSample(step: $0, name: "loss", value: 2) }, run: run.id)
        #expect(try store.metricSeries("loss", run: run.id).map(\.value) == [1, 1, 1, 2, 2, 2])
    }

    @Test(arguments: StoreBackend.available)
    func seriesOfDifferentRunsStayApart(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, first) = try database.storeWithRun()
        let second = try store.createRun(StoreFixtures.newRun(kind: .supervised))
        try store.appendMetrics([MetricSample(step: 0, name: "loss", value: 1)], run: first.id)
        try store.appendMetrics([MetricSample(step: 0, name: "loss", value: 2)], run: second.id)
        #expect(try store.metricSeries("loss", run: first.id).map(\.value) == [1])
        #expect(try store.metricSeries("loss", run: second.id).map(\.value) == [2])
        #expect(try store.lastMetricStep(run: store.createRun(StoreFixtures.newRun()).id) == nil)
    }

    @Test(arguments: StoreBackend.available)
    func anUnknownRunThrowsAndWritesNothing(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.appendMetrics([MetricSample(step: 0, name: "loss", value: 1)], run: "r-nope")
        }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.metricSeries("loss", run: "r-nope")
        }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.metricSeries(run: "r-nope")
        }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.metricNames(run: "r-nope")
        }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.lastMetricStep(run: "r-nope")
        }
        #expect(try store.metricNames(run: run.id).isEmpty)
    }

    @Test(arguments: StoreBackend.available)
    func aNegativeStepTraps(backend: StoreBackend) async throws {
        let database = try FreshDatabase(backend)  // removed by the parent after the child trapped
        let locator = database.locator
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent])
        { [locator = locator as String] in
            let store = try FreshDatabase.open(locator)
            let run = try store.createRun(StoreFixtures.newRun())
            try store.appendMetrics([MetricSample(step: -1, name: "loss", value: 1)], run: run.id)
        }
        TrapMessage.expect(result, contains: "appendMetrics: step must be >= 0")
    }

    @Test(arguments: StoreBackend.available)
    func anEmptyNameTraps(backend: StoreBackend) async throws {
        let database = try FreshDatabase(backend)  // removed by the parent after the child trapped
        let locator = database.locator
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent])
        { [locator = locator as String] in
            let store = try FreshDatabase.open(locator)
            let run = try store.createRun(StoreFixtures.newRun())
            try store.appendMetrics([MetricSample(step: 0, name: "", value: 1)], run: run.id)
        }
        TrapMessage.expect(result, contains: "appendMetrics: metric name is empty")
    }

    @Test(arguments: StoreBackend.available)
    func aNameWithANULCharacterTraps(backend: StoreBackend) async throws {
        let database = try FreshDatabase(backend)  // removed by the parent after the child trapped
        let locator = database.locator
        let result = await #expect(
            processExitsWith: .failure, observing: [\.standardErrorContent]
        ) { [locator = locator as String] in
            let store = try FreshDatabase.open(locator)
            let run = try store.createRun(StoreFixtures.newRun())
            try store.appendMetrics(
                [MetricSample(step: 0, name: "lo\u{0}ss", value: 1)], run: run.id)
        }
        TrapMessage.expect(result, contains: "appendMetrics: metric name contains a NUL character")
    }
}
