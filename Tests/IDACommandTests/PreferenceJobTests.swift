@testable import Application
import ArgumentParser
import Distillation
import Foundation
import IDATestSupport
@testable import IDACommand
import Store
import StoreTestSupport
import Tasks
import Testing

/// Progress that stops the job at a given step, as Ctrl-C would: it cancels the job's task from
/// inside its progress call.
private actor StoppingBoard: TrainingProgress {
    let stopAt: Int?
    private(set) var notes: [String] = []

    init(stopAt: Int? = nil) { self.stopAt = stopAt }

    func begin(task: String, sides: [SideProgress]) {}
    func note(_ text: String) { notes.append(text) }
    func update(_ side: String, _ event: TrainingEvent) {
        if case .step(let metrics) = event, metrics.step == stopAt { withUnsafeCurrentTask { $0?.cancel() } }
    }
    func finish(_ side: String) {}
    func end() {}
}

/// `ida run --method rlhf | rl-oracle` as a stored job: resumable, capped by its budget, and read
/// back by the comparison beside IA.
@Suite(.serialized) struct PreferenceJobTests {
    static func configuration(
        _ method: TrainingMethod, task: String = "permutation", steps: Int = 40, budgets: [String: Int] = [:], seed: UInt64 = 4
    ) -> JobConfiguration {
        JobConfiguration(
            tasks: [task], preset: "tiny", schedule: .continuous, seed: seed, steps: steps, checkpointInterval: 10,
            evaluationInterval: 10, method: method, budgets: budgets)
    }

    /// Stopped at step 25 and resumed (from its step-20 checkpoint), a run ends exactly where an
    /// uninterrupted one does: same steps, evaluator cost, final evaluation and policy weights.
    @Test(arguments: StoreBackend.available) func aStoppedRunResumesToTheSameResult(backend: StoreBackend) async throws {
        let database = try FreshDatabase(backend)
        let store = try database.open()
        let configuration = Self.configuration(.rlhf(lookups: 2))
        let whole = try await PreferenceJob.start(store: store, configuration: configuration, board: StoppingBoard())

        let stopped = Task { try await PreferenceJob.start(store: store, configuration: configuration, board: StoppingBoard(stopAt: 25)) }
        await #expect(throws: CancellationError.self) { _ = try await stopped.value }
        let group = try #require(try store.runs().first { $0.kind == .group && $0.id != whole.group.id })
        let child = try #require(try store.children(of: group.id).first)
        #expect(child.kind == .rlhf && child.status == .interrupted)
        #expect(try store.latestCheckpoint(run: child.id)?.step == 20)

        let resumed = try await PreferenceJob.resume(store: store, id: child.id, board: StoppingBoard())
        let (a, b) = (whole.reports[0], resumed.reports[0])
        #expect(a.steps == 40 && b.steps == 40)
        #expect(a.evaluatorCost == b.evaluatorCost)
        #expect(a.evaluation == b.evaluation)
        let weights = try [whole.group.id, group.id].map { id in
            let child = try #require(try store.children(of: id).first)
            return try PreferenceLearner.State(bytes: try #require(try store.latestCheckpoint(run: child.id)).payload).policy
        }
        #expect(weights[0] == weights[1])
        #expect(try store.run(id: group.id).status == .completed)
        // The stored series the comparison reads.
        let cost = try store.metricSeries("cost", run: child.id)
        #expect(cost.map(\.step) == Array(1...40))
        #expect(cost.last?.value == Double(b.evaluatorCost))
        #expect(try store.overallAccuracy(run: child.id, model: .policy).map(\.step) == [10, 20, 30, 40])
    }

    /// With a budget, the run stops at the first step that reaches it: the evaluator never spends
    /// more than one step past the budget, and before that last step it was under it.
    @Test func theEvaluatorStopsAtItsBudget() async throws {
        let database = try FreshDatabase(.sqlite)
        let store = try database.open()
        let outcome = try await PreferenceJob.start(
            store: store, configuration: Self.configuration(.rlhf(lookups: 4), steps: 400, budgets: ["permutation": 1500]),
            board: StoppingBoard())
        let report = outcome.reports[0]
        #expect(report.budget == 1500)
        #expect(report.steps < 400)
        #expect(report.evaluatorCost >= 1500)
        let child = try #require(try store.children(of: outcome.group.id).first)
        let cost = try store.metricSeries("cost", run: child.id)
        #expect(cost.count == report.steps)
        #expect(cost.dropLast().allSatisfy { $0.value < 1500 })
        // The final evaluation is of the last step, whatever the interval.
        #expect(try store.overallAccuracy(run: child.id, model: .policy).last?.step == report.steps)
        // `ida eval --checkpoint RUN` answers with the final policy.
        let source = try CheckpointSource.resolve(outcome.group.id, taskName: "permutation", store: { store })
        #expect(source.description.contains("rlhf") && source.taskName == "permutation")
        let state = try PreferenceLearner.State(bytes: try #require(try store.latestCheckpoint(run: child.id)).payload)
        #expect(source.model.checkpoint().serialized() == [UInt8](state.policy))
    }

    /// What cannot run is refused before anything is stored.
    @Test func jobsThatCannotRunAreRefusedBeforeARowIsWritten() async throws {
        let database = try FreshDatabase(.sqlite)
        let store = try database.open()
        for configuration in [
            Self.configuration(.rlhf(lookups: 2), task: "assignments"),
            Self.configuration(.rlhf(lookups: 0)),
            Self.configuration(.rlOracle, budgets: ["wildcard": 10]),
            Self.configuration(.amplification),
        ] {
            await #expect(throws: ApplicationError.self) {
                _ = try await PreferenceJob.start(store: store, configuration: configuration, board: StoppingBoard())
            }
        }
        #expect(try store.runs().isEmpty)
    }

    /// The comparison measures IA's X, the supervised model and each RL policy on the same
    /// questions, and reads each run's cost: IA's expert calls, the RL evaluator's cost.
    @Test func theComparisonMeasuresEveryModelOnTheSameQuestions() async throws {
        let database = try FreshDatabase(.sqlite)
        let store = try database.open()
        let ia = try await TrainingJob.start(
            store: store,
            configuration: JobConfiguration(tasks: ["wildcard"], preset: "tiny", schedule: .continuous, seed: 2, steps: 30, evaluationInterval: 10),
            board: StoppingBoard())
        let budget = ia.reports[0].ia.counters.expertCalls
        #expect(try PreferenceJob.budgets(from: ia.group.id, tasks: ["wildcard"], store: store) == ["wildcard": budget])
        #expect(throws: ApplicationError.self) { try PreferenceJob.budgets(from: ia.group.id, tasks: ["permutation"], store: store) }
        let rlhf = try await PreferenceJob.start(
            store: store, configuration: Self.configuration(.rlhf(lookups: 1), task: "wildcard", steps: 30, budgets: ["wildcard": budget]),
            board: StoppingBoard())
        let oracle = try await PreferenceJob.start(
            store: store, configuration: Self.configuration(.rlOracle, task: "wildcard", steps: 20), board: StoppingBoard())
        #expect(throws: ApplicationError.self) { try PreferenceJob.budgets(from: rlhf.group.id, tasks: ["wildcard"], store: store) }
        let comparison = try PreferenceComparison.build(
            runs: [oracle.group.id, ia.group.id, rlhf.group.id], store: store, heldOutCount: 8)
        let task = try #require(comparison.tasks.first)
        #expect(comparison.tasks.count == 1 && task.task == "wildcard")
        #expect(task.entries.map(\.method) == ["IA", "RLHF E_1", "RL oracle", "supervised"])
        let questions = Set(task.entries.map(\.evaluation.overall.questions))
        #expect(questions.count == 1 && questions.first! > 0)
        #expect(task.entries[0].expertCalls == budget)
        #expect(task.entries[1].expertCalls == rlhf.reports[0].evaluatorCost)
        #expect(task.entries[3].expertCalls == nil && task.entries[3].groundTruthLabels > 0)
        for entry in task.entries.prefix(3) {
            let calls = entry.curve.map(\.expertCalls)
            #expect(!calls.isEmpty && calls == calls.sorted() && calls.last! <= entry.expertCalls!, "\(entry.method)")
        }
        #expect(task.entries[0].evaluation.rewardModelPairs == 0, "IA has no reward model")
        let text = ComparisonTable.render(comparison)
        #expect(text.contains("E_1 verifies") && text.contains("RLHF E_1"))
        #expect(ComparisonTable.plot(task).svg().contains("expert calls"))
    }

    /// The binary: `--seeds` runs RL once per seed and prints one JSON document; `ida report`
    /// prints a run's report again, and `ida runs` lists its `rlhf` run with the policy's accuracy.
    @Test(.tags(.slow)) func theBinaryRunsRLPerSeedAndReportsItAgain() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let outcome = try await IDAProcess.run(
            ["run", "--method", "rl-oracle", "--task", "wildcard", "--preset", "tiny", "--steps", "12", "--eval-interval", "6",
             "--seeds", "1,2", "--json", "--db", directory.database],
            in: directory.url)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [[String: Any]])
        #expect(reports.map { $0["seed"] as? Int } == [1, 2])
        #expect(reports.allSatisfy { ($0["method"] as? [String: Any])?["name"] as? String == "rl-oracle" && $0["steps"] as? Int == 12 })
        #expect(outcome.standardError.contains("wildcard RL oracle step 6: accuracy"))
        let run = try #require(reports[1]["run"] as? String)
        let report = try await IDAProcess.run(["report", run, "--db", directory.database], in: directory.url)
        #expect(report.status == 0 && report.standardOutput.contains("wildcard · preset tiny · RL oracle · seed 2 · run \(run)"))
        let runs = try await IDAProcess.run(["runs", "--db", directory.database], in: directory.url)
        #expect(runs.standardOutput.components(separatedBy: "\n").filter { $0.contains(" rlhf ") && $0.contains("%") }.count == 2)
    }

    /// The command line refuses what `--method` cannot mean.
    @Test func theCommandLineRefusesMethodsWithoutWhatTheyNeed() throws {
        for (arguments, message) in [
            (["--method", "rlhf"], "--lookups"),
            (["--method", "rlhf", "--lookups", "2", "--task", "assignments"], "bounded check"),
            (["--lookups", "2"], "--method rlhf or rl-oracle"),
            (["--method", "rl-oracle", "--lookups", "2"], "truth"),
            (["--method", "rlhf", "--lookups", "2", "--budget", "5", "--budget-from", "r-1"], "not both"),
            (["--method", "sft"], "unknown method"),
        ] {
            let error = #expect(throws: (any Error).self, "\(arguments)") { _ = try IDA.parseAsRoot(["run"] + arguments) }
            let text = error.map { IDA.message(for: $0) } ?? ""
            #expect(text.contains(message), "\(arguments): \(text)")
        }
    }
}
