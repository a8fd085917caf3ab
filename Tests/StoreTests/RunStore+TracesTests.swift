import Foundation
import StoreTestSupport
import Testing

@testable import Store

@Suite struct RunStoreTracesTests {
    @Test(arguments: StoreBackend.available, [1, 4, 50])
    func tracesRoundTripInRecordingOrder(backend: StoreBackend, count: Int) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        let traces = (0..<count).map { index in
            TraceRecord(
                step: (count - index) * 10, task: index.isMultiple(of: 2) ? "sort" : "eval",
                question: "question \(index): is 3 < 5? ✓",
                trace: #"{"question":"\#(index)","children":[{"leaf":true,"answer":"yes"}]}"#)
        }
        try store.recordTraces(Array(traces.prefix(count / 2)), run: run.id)
        try store.recordTraces(Array(traces.dropFirst(count / 2)), run: run.id)
        let reopened = try database.open()
        #expect(try reopened.traces(run: run.id) == traces)
        #expect(try reopened.traces(run: run.id, step: count * 10) == [traces[0]])
        #expect(try reopened.traces(run: run.id, step: 5).isEmpty)
    }

    @Test(arguments: StoreBackend.available)
    func anUnknownRunThrows(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, _) = try database.storeWithRun()
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.recordTraces(
                [TraceRecord(step: 0, task: "sort", question: "q", trace: "t")], run: "r-nope")
        }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) { try store.traces(run: "r-nope") }
    }

    @Test(arguments: StoreBackend.available)
    func aNegativeStepTraps(backend: StoreBackend) async throws {
        let database = try FreshDatabase(backend)  // removed by the parent after the child trapped
        let locator = database.locator
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent])
        { [locator = locator as String] in
            let store = try FreshDatabase.open(locator)
            let run = try store.createRun(StoreFixtures.newRun())
            try store.recordTraces(
                [TraceRecord(step: -3, task: "sort", question: "q", trace: "t")], run: run.id)
        }
        TrapMessage.expect(result, contains: "recordTraces: step must be >= 0")
    }

    @Test(arguments: StoreBackend.available)
    func aTraceWithANULCharacterTraps(backend: StoreBackend) async throws {
        let database = try FreshDatabase(backend)  // removed by the parent after the child trapped
        let locator = database.locator
        let result = await #expect(
            processExitsWith: .failure, observing: [\.standardErrorContent]
        ) { [locator = locator as String] in
            let store = try FreshDatabase.open(locator)
            let run = try store.createRun(StoreFixtures.newRun())
            try store.recordTraces(
                [TraceRecord(step: 0, task: "sort", question: "q", trace: "a\u{0}b")], run: run.id)
        }
        TrapMessage.expect(result, contains: "recordTraces: trace contains a NUL character")
    }
}
