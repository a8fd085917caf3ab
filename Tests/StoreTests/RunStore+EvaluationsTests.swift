import Foundation
import StoreTestSupport
import Testing

@testable import Store

@Suite struct RunStoreEvaluationsTests {
    static func records(steps: [Int], depths: Int) -> [EvaluationRecord] {
        steps.flatMap { step in
            [EvaluatedModel.x, .amp].flatMap { model in
                (0..<depths).map { depth in
                    let count = 10 + depth
                    return EvaluationRecord(
                        step: step, model: model, depth: depth, count: count,
                        correct: min(
                            count, (step / 100 + depth + (model == .amp ? 2 : 0)) % (count + 1)))
                }
            }
        }
    }

    @Test(arguments: StoreBackend.available, [1, 3, 6])
    func recordsRoundTripOrderedByStepModelAndDepth(backend: StoreBackend, depths: Int) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        let records = Self.records(steps: [0, 100, 200], depths: depths)
        try store.recordEvaluations(records.reversed(), run: run.id)
        let reopened = try database.open()
        let expected = records.sorted {
            ($0.step, $0.model.rawValue, $0.depth) < ($1.step, $1.model.rawValue, $1.depth)
        }
        #expect(try reopened.evaluations(run: run.id) == expected)
        #expect(
            try reopened.evaluations(run: run.id, model: .amp)
                == expected.filter { $0.model == .amp })
        #expect(try reopened.evaluations(run: run.id, model: .supervised).isEmpty)
    }

    @Test(arguments: StoreBackend.available)
    func overallAccuracyIsCorrectOverCountSummedOverDepths(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        try store.recordEvaluations(
            [
                EvaluationRecord(step: 50, model: .x, depth: 0, count: 10, correct: 10),
                EvaluationRecord(step: 50, model: .x, depth: 1, count: 30, correct: 6),
                EvaluationRecord(step: 50, model: .amp, depth: 1, count: 30, correct: 30),
                EvaluationRecord(step: 90, model: .x, depth: 0, count: 0, correct: 0),
            ], run: run.id)
        let overall = try store.overallAccuracy(run: run.id, model: .x)
        #expect(
            overall == [
                MetricSample(step: 50, name: "x", value: 0.4),
                MetricSample(step: 90, name: "x", value: 0),
            ])
        #expect(try store.overallAccuracy(run: run.id, model: .amp).map(\.value) == [1])
    }

    @Test(arguments: StoreBackend.available)
    func recordingTheSameStepModelAndDepthAgainReplacesIt(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        try store.recordEvaluations(
            [EvaluationRecord(step: 5, model: .x, depth: 2, count: 8, correct: 1)], run: run.id)
        try store.recordEvaluations(
            [EvaluationRecord(step: 5, model: .x, depth: 2, count: 8, correct: 7)], run: run.id)
        #expect(try store.evaluations(run: run.id).map(\.correct) == [7])
    }

    @Test(arguments: StoreBackend.available)
    func anUnknownRunThrows(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, _) = try database.storeWithRun()
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.recordEvaluations(
                [EvaluationRecord(step: 0, model: .x, depth: 0, count: 1, correct: 1)],
                run: "r-nope")
        }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.evaluations(run: "r-nope")
        }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) {
            try store.overallAccuracy(run: "r-nope", model: .x)
        }
    }

    @Test(arguments: [
        ("moreCorrectThanCount", "recordEvaluations: need 0 <= correct <= count"),
        ("negativeCount", "recordEvaluations: need 0 <= correct <= count"),
        ("negativeDepth", "recordEvaluations: step and depth must be >= 0"),
        ("negativeStep", "recordEvaluations: step and depth must be >= 0"),
        ("emptyModel", "recordEvaluations: model name is empty"),
        ("nulInModel", "recordEvaluations: model name contains a NUL character"),
    ])
    func aRecordThatCannotBeTraps(defect: String, expectedMessage: String) async throws {
        // One backend: the stores share these checks (StoreRequirements).
        let database = try FreshDatabase(.sqlite)  // removed by the parent after the child trapped
        let locator = database.locator
        let result = await #expect(
            processExitsWith: .failure, observing: [\.standardErrorContent], "\(defect)"
        ) { [defect, locator = locator as String] in
            let store = try FreshDatabase.open(locator)
            let run = try store.createRun(StoreFixtures.newRun())
            var record = EvaluationRecord(step: 0, model: .x, depth: 0, count: 4, correct: 2)
            switch defect {
            case "moreCorrectThanCount": record.correct = 5
            case "negativeCount": record.count = -1
            case "negativeDepth": record.depth = -1
            case "negativeStep": record.step = -1
            case "nulInModel": record.model = "a\u{0}mp"
            default: record.model = ""
            }
            try store.recordEvaluations([record], run: run.id)
        }
        TrapMessage.expect(result, contains: expectedMessage)
    }
}
