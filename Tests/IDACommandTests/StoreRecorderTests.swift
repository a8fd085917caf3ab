@testable import Application
import Asker
import Distillation
import Amplification
import Foundation
@testable import IDACommand
import Store
import Tasks
import Testing

@Suite struct StoreRecorderTests {
    static func store(_ directory: TemporaryDirectory) throws -> (any RunStore, String) {
        let store = try SQLiteStore(path: directory.database)
        let run = try store.createRun(
            NewRun(kind: .ia, task: "permutation", preset: "tiny", schedule: "continuous", configuration: "{}", seed: 1,
                   createdAt: Date(timeIntervalSince1970: 0)))
        return (store, run.id)
    }

    static let evaluation = EvaluationReport(
        step: 20, instanceSize: 6,
        depths: [
            DepthAccuracy(depth: 0, questionCount: 10, modelSampledCorrect: 7, modelGreedyCorrect: 8, amplifiedCorrect: 10),
            DepthAccuracy(depth: 1, questionCount: 5, modelSampledCorrect: 1, modelGreedyCorrect: 2, amplifiedCorrect: 3),
        ])

    @Test func stepMetricsWaitForTheNextEvaluationOrCheckpoint() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, run) = try Self.store(directory)
        let recorder = StoreRecorder(store: store, runID: run, model: .x, priorWallSeconds: 0)
        for step in 1...20 {
            try await recorder.record(.step(StepMetrics(step: step, totalSteps: 40, loss: 1 / Double(step), examples: 4 * step, curriculumSize: 4)))
        }
        #expect(try store.metricSeries("loss", run: run).isEmpty)
        try await recorder.record(.evaluation(Self.evaluation))
        #expect(try store.metricSeries("loss", run: run).map(\.step) == Array(1...20))
        #expect(try store.metricSeries("examples", run: run).last?.value == 80)
        #expect(try store.metricSeries("curriculum_size", run: run).count == 20)
    }

    @Test func evaluationsAreStoredForSampledGreedyAndAmplified() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, run) = try Self.store(directory)
        let recorder = StoreRecorder(store: store, runID: run, model: .supervised, priorWallSeconds: 0)
        try await recorder.record(.evaluation(Self.evaluation))
        let records = try store.evaluations(run: run)
        #expect(Set(records.map(\.model.rawValue)) == ["supervised", "supervised-greedy", "amp"])
        #expect(records.filter { $0.model == .supervised }.map(\.correct) == [7, 1])
        #expect(records.filter { $0.model.rawValue == "supervised-greedy" }.map(\.correct) == [8, 2])
        #expect(try store.overallAccuracy(run: run, model: .supervised).map(\.value) == [8.0 / 15])
    }

    @Test func checkpointStoresTheResumableStateWithASummary() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, run) = try Self.store(directory)
        let task = try TaskCatalog.task(named: "permutation", preset: "tiny")
        let state = try Distiller(task: task, configuration: .tiny, seed: 3).state()
        let recorder = StoreRecorder(store: store, runID: run, model: .x, priorWallSeconds: 12)
        try await recorder.record(.checkpoint(state))
        let checkpoint = try #require(try store.latestCheckpoint(run: run))
        #expect(checkpoint.step == 0)
        #expect(checkpoint.formatVersion == TrainingState.currentFormatVersion)
        let restored = try TrainingState(bytes: checkpoint.payload)
        #expect(restored.seed == 3)
        #expect(restored.taskName == "permutation")
        let summary = try JSONDecoder().decode(TrainerStateSummary.self, from: Data(checkpoint.trainerState.utf8))
        #expect(summary.step == 0)
        #expect(summary.wallSeconds >= 12)
        #expect(try store.run(id: run).wallSeconds >= 12)
    }

    @Test func roundEndStoresTheFrontiers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, run) = try Self.store(directory)
        let recorder = StoreRecorder(store: store, runID: run, model: .x, priorWallSeconds: 0)
        try await recorder.record(.roundEnd(RoundReport(round: 1, step: 60, evaluation: Self.evaluation, frontier: 0, amplifiedFrontier: 1)))
        #expect(try store.metricSeries("frontier", run: run).map(\.value) == [0])
        #expect(try store.metricSeries("amplified_frontier", run: run).map(\.value) == [1])
    }

    @Test func finishMarksTheRunCompletedWithItsReport() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, run) = try Self.store(directory)
        let recorder = StoreRecorder(store: store, runID: run, model: .x, priorWallSeconds: 0)
        var counters = TrainingCounters()
        counters.steps = 20
        let report = DistillationReport(
            taskName: "permutation", targets: .amplification, schedule: .continuous, seed: 1, evaluation: Self.evaluation,
            evaluations: [Self.evaluation], rounds: [], counters: counters, finalCurriculumSize: 6)
        try recorder.finish(report)
        let stored = try store.run(id: run)
        #expect(stored.status == .completed)
        let json = try #require(stored.report)
        #expect(try JSONDecoder().decode(DistillationReport.self, from: Data(json.utf8)) == report)
        #expect(try store.evaluations(run: run, model: .x).count == 2)
    }

    /// The counters go to the store with each checkpoint and at the end, with H′'s held-out
    /// accuracy per action type; IA's expert calls and H′'s accuracies are metric series too.
    @Test func countersAndHPrimesAccuracyAreStored() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, run) = try Self.store(directory)
        let recorder = StoreRecorder(store: store, runID: run, model: .x, priorWallSeconds: 0, supervisor: .learned)
        let task = try TaskCatalog.task(named: "permutation", preset: "tiny")
        var configuration = DistillationConfiguration.tiny
        configuration.asker = .tiny
        var state = try Distiller(task: task, configuration: configuration, seed: 3).state()
        state.counters.expertCalls = 75
        state.counters.amplification.supervisorActions = 300
        try await recorder.record(.checkpoint(state))
        let stored = try #require(try store.counters(run: run))
        #expect(stored.supervisor == .learned && stored.askerAnswerAccuracy == nil)
        #expect(stored.counts["expertCalls"] == 75 && stored.counts["amplification.supervisorActions"] == 300)
        // Every count the training keeps is stored, by its name, the engine's within it.
        #expect(Set(stored.counts.keys) == Self.countNames && stored.counts["amplification.rejectedActions"] == 0)

        try await recorder.record(
            .generation(
                GenerationMetrics(
                    step: 10, instanceCount: 1, questionCount: 4, instanceSize: 5, agreement: 0, averageAgreement: 0,
                    nextSize: 5, counters: AmplificationCounters(), expertCalls: 90)))
        var evaluation = Self.evaluation
        evaluation.askerAccuracy = ActionAccuracy(
            subquestionTokens: 1, answerTokens: 0.9, subquestions: 1, answers: 0.75, transcriptCount: 8)
        try await recorder.record(.evaluation(evaluation))
        #expect(try store.metricSeries("expert_calls", run: run).map(\.value) == [90])
        #expect(try store.metricSeries("asker_subquestion_accuracy", run: run).map(\.value) == [1])
        #expect(try store.metricSeries("asker_answer_accuracy", run: run).map(\.value) == [0.75])

        var counters = TrainingCounters()
        counters.steps = 20
        counters.expertCalls = 90
        let report = DistillationReport(
            taskName: "permutation", targets: .amplification, schedule: .continuous, seed: 1, evaluation: evaluation,
            evaluations: [evaluation], rounds: [], counters: counters, finalCurriculumSize: 6,
            asker: AskerReport(
                heldOutAccuracy: evaluation.askerAccuracy, latestAccuracy: nil, demonstrations: 30, expertCalls: 90,
                steps: 120, pausedSteps: 0, rate: 0.1, freshLossAverage: 0.05))
        try recorder.finish(report)
        let final = try #require(try store.counters(run: run))
        #expect(final.supervisor == .learned && final.askerSubquestionAccuracy == 1 && final.askerAnswerAccuracy == 0.75)
        #expect(final.counts["steps"] == 20 && final.counts["expertCalls"] == 90)
        #expect(final.counts.filter { $0.value != 0 }.count == 2)
    }

    static let countNames: Set<String> = [
        "steps", "examples", "instancesGenerated", "targetsGenerated", "groundTruthLabels", "expertCalls",
        "amplification.supervisorActions", "amplification.leafLookups", "amplification.assistantCalls",
        "amplification.assistantQuestions", "amplification.groundTruthAnswers", "amplification.loopsDetected",
        "amplification.budgetExhaustions", "amplification.rejectedActions",
    ]

    /// The baseline's counters carry no supervisor and no expert-call series.
    @Test func theBaselineStoresLabelsAndNoExpertCalls() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, run) = try Self.store(directory)
        let recorder = StoreRecorder(store: store, runID: run, model: .supervised, priorWallSeconds: 0)
        try await recorder.record(
            .generation(
                GenerationMetrics(
                    step: 0, instanceCount: 1, questionCount: 4, instanceSize: 5, agreement: 0, averageAgreement: 0,
                    nextSize: 5, counters: AmplificationCounters())))
        var counters = TrainingCounters()
        counters.groundTruthLabels = 44
        try recorder.finish(
            DistillationReport(
                taskName: "permutation", targets: .groundTruth, schedule: .continuous, seed: 1, evaluation: Self.evaluation,
                evaluations: [], rounds: [], counters: counters, finalCurriculumSize: 6))
        let stored = try #require(try store.counters(run: run))
        #expect(stored.supervisor == nil && stored.counts["groundTruthLabels"] == 44)
        #expect(stored.counts.filter { $0.value != 0 } == ["groundTruthLabels": 44])
        #expect(try store.metricSeries("expert_calls", run: run).isEmpty)
    }
}
