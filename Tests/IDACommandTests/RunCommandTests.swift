@testable import Application
import Distillation
import Foundation
import IDATestSupport
@testable import IDACommand
import Store
import Tasks
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// End to end: the built `ida` binary on the tiny preset, in a temporary directory.
@Suite(.serialized) struct RunCommandTests {
    /// The JSON report without what differs between two equal runs (wall times, run ids).
    static func stableJSON(_ text: String) throws -> NSDictionary {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        func strip(_ value: Any) -> Any {
            if let dictionary = value as? [String: Any] {
                var kept: [String: Any] = [:]
                for (key, inner) in dictionary where key != "wall_seconds" && key != "run" { kept[key] = strip(inner) }
                return kept
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        return try #require(strip(object) as? [String: Any]) as NSDictionary
    }

    @Test(.tags(.slow)) func tinyRunPrintsTheJSONReportAndWritesTheSVG() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let outcome = try await IDAProcess.run(
            ["run", "--preset", "tiny", "--steps", "40", "--seed", "3", "--json", "--db", directory.database,
             "--output", directory.url.path],
            in: directory.url)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        #expect(report["task"] as? String == "permutation")
        #expect(report["preset"] as? String == "tiny")
        #expect(report["wall_seconds"] is Double)
        let ia = try #require(report["ia"] as? [String: Any])
        for key in ["accuracy", "accuracy_by_depth", "supervisor_actions", "leaf_lookups", "ground_truth_labels"] {
            #expect(ia[key] != nil, "ia.\(key) missing")
        }
        #expect(ia["ground_truth_labels"] as? Int == 0)
        #expect((ia["supervisor_actions"] as? Int ?? 0) > 0)
        let supervised = try #require(report["supervised"] as? [String: Any])
        for key in ["accuracy", "accuracy_by_depth", "ground_truth_labels"] {
            #expect(supervised[key] != nil, "supervised.\(key) missing")
        }
        #expect((supervised["ground_truth_labels"] as? Int ?? 0) > 0)
        let run = try #require(report["run"] as? String)
        let svg = directory.url.appendingPathComponent("ida-\(run)-permutation.svg")
        #expect(FileManager.default.fileExists(atPath: svg.path))
        #expect(outcome.standardError.contains("learning curves: \(svg.path)"))
    }

    /// `--seeds`: one run per seed, then the spread over them, stored and shown again by `ida
    /// report`; each seed's numbers are those of `--seed` alone.
    @Test(.tags(.slow)) func seedsReportTheSpreadOverEachSeedsRun() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let common = ["--preset", "tiny", "--steps", "30", "--eval-interval", "0", "--json", "--db", directory.database,
                      "--output", directory.url.path]
        let outcome = try await IDAProcess.run(["run", "--seeds", "3,5"] + common, in: directory.url)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let spread = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        #expect(spread["kind"] as? String == "seeds")
        #expect(spread["seeds"] as? [Int] == [3, 5])
        let rows = try #require(spread["rows"] as? [[String: Any]])
        #expect(rows.map { $0["task"] as? String } == ["permutation"])
        let ia = try #require(rows[0]["ia"] as? [String: Double])
        let differences = try #require(rows[0]["differences"] as? [Double])
        #expect(differences.count == 2)

        // Each seed alone, as `--seed` runs it: the spread is of exactly these.
        var accuracies: [Double] = []
        var gaps: [Double] = []
        for seed in ["3", "5"] {
            let single = try await IDAProcess.run(["run", "--seed", seed] + common, in: directory.url)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(single.standardOutput.utf8)) as? [String: Any])
            let accuracy = try #require((report["ia"] as? [String: Any])?["accuracy"] as? Double)
            let supervised = try #require((report["supervised"] as? [String: Any])?["accuracy"] as? Double)
            accuracies.append(accuracy)
            gaps.append(accuracy - supervised)
        }
        #expect(ia["minimum"] == accuracies.min() && ia["maximum"] == accuracies.max())
        #expect(abs((ia["mean"] ?? -1) - (accuracies[0] + accuracies[1]) / 2) < 1e-12)
        #expect(differences == gaps)

        let runs = try #require(spread["runs"] as? [String])
        #expect(runs.count == 2)
        let listed = try await IDAProcess.run(["runs", "--db", directory.database], in: directory.url)
        let spreadRun = try #require(
            listed.standardOutput.split(separator: "\n").first { $0.contains(" seeds ") }?.split(separator: " ").first)
        let again = try await IDAProcess.run(["report", String(spreadRun), "--json", "--db", directory.database], in: directory.url)
        #expect(again.status == 0, "\(again.standardError)")
        #expect(try Self.stableJSON(again.standardOutput) == Self.stableJSON(outcome.standardOutput))
        let table = try await IDAProcess.run(["report", String(spreadRun), "--db", directory.database], in: directory.url)
        #expect(table.standardOutput.contains("seeds 3, 5 · preset tiny"))
        #expect(table.standardOutput.contains("permutation"))
    }

    @Test(.tags(.slow)) func roundsPrintTheFrontierAfterEachRound() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let outcome = try await IDAProcess.run(
            ["run", "--preset", "tiny", "--schedule", "rounds", "--steps", "20", "--seed", "3", "--json",
             "--db", directory.database, "--output", directory.url.path],
            in: directory.url)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let report = try JSONDecoder().decode(RunReport.self, from: Data(outcome.standardOutput.utf8))
        let rounds = DistillationConfiguration.tiny.rounds.roundCount
        #expect(report.frontier?.count == rounds)
        #expect(report.ia.counters.steps == 20 * rounds)
        for round in 1...rounds {
            #expect(outcome.standardError.contains("permutation IA round \(round): capability frontier X depth"))
        }
    }

    @Test(.tags(.slow)) func allTasksRunOneAfterTheOther() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let outcome = try await IDAProcess.run(
            ["run", "--preset", "tiny", "--task", "all", "--steps", "10", "--eval-interval", "0", "--seed", "3", "--json",
             "--db", directory.database, "--output", directory.url.path],
            in: directory.url)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let report = try JSONDecoder().decode(MultiTaskReport.self, from: Data(outcome.standardOutput.utf8))
        #expect(report.task == "all")
        #expect(report.reports.map(\.task) == TaskCatalog.taskNames)
        #expect(report.reports.allSatisfy { $0.ia.counters.groundTruthLabels == 0 && $0.supervised.counters.groundTruthLabels > 0 })
        for task in TaskCatalog.taskNames {
            let svg = directory.url.appendingPathComponent("ida-\(report.run)-\(task).svg").path
            #expect(FileManager.default.fileExists(atPath: svg))
        }
    }

    @Test(.tags(.slow)) func sameSeedGivesTheSameNumbers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var reports: [NSDictionary] = []
        for name in ["a.sqlite", "b.sqlite"] {
            let outcome = try await IDAProcess.run(
                ["run", "--preset", "tiny", "--steps", "40", "--eval-interval", "20", "--seed", "11", "--json",
                 "--db", directory.url.appendingPathComponent(name).path, "--output", directory.url.path],
                in: directory.url)
            #expect(outcome.status == 0, "\(outcome.standardError)")
            reports.append(try Self.stableJSON(outcome.standardOutput))
        }
        #expect(reports[0] == reports[1])
    }

    /// `--supervisor learned` end to end on the tiny preset: H′ calls the expert less than the
    /// scripted run does, the JSON's counts agree with the stored counters, and `ida report`
    /// prints the same JSON again.
    @Test(.tags(.slow)) func learnedSupervisorCallsTheExpertLessThanTheScriptedOne() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var reports: [String: [String: Any]] = [:]
        for supervisor in ["scripted", "learned"] {
            let outcome = try await IDAProcess.run(
                ["run", "--preset", "tiny", "--task", "wildcard", "--supervisor", supervisor, "--steps", "60", "--seed", "3",
                 "--json", "--db", directory.database, "--output", directory.url.path],
                in: directory.url)
            #expect(outcome.status == 0, "\(outcome.standardError)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
            #expect(report["supervisor"] as? String == supervisor)
            reports[supervisor] = report

            let run = try #require(report["run"] as? String)
            let again = try await IDAProcess.run(
                ["report", run, "--json", "--db", directory.database, "--output", directory.url.path], in: directory.url)
            #expect(again.status == 0 && again.standardOutput == outcome.standardOutput)

            let store = try SQLiteStore(path: directory.database)
            defer { try? store.close() }
            let children = try store.children(of: run)
            let ia = try #require(children.first { $0.kind == .ia })
            let supervised = try #require(children.first { $0.kind == .supervised })
            let iaJSON = try #require(report["ia"] as? [String: Any])
            let supervisedJSON = try #require(report["supervised"] as? [String: Any])
            let iaCounters = try #require(try store.counters(run: ia.id))
            let supervisedCounters = try #require(try store.counters(run: supervised.id))
            #expect(iaCounters.supervisor?.rawValue == supervisor && supervisedCounters.supervisor == nil)
            let iaCounts = iaCounters.counts
            let supervisedCounts = supervisedCounters.counts
            #expect(iaJSON["expert_calls"] as? Int == iaCounts["expertCalls"])
            #expect(iaJSON["supervisor_actions"] as? Int == iaCounts["amplification.supervisorActions"])
            #expect(iaJSON["ground_truth_labels"] as? Int == 0 && iaCounts["groundTruthLabels"] == 0)
            #expect(supervisedJSON["ground_truth_labels"] as? Int == supervisedCounts["groundTruthLabels"])
            #expect((supervisedCounts["groundTruthLabels"] ?? 0) > 0 && supervisedCounts["expertCalls"] == 0)
            if supervisor == "learned" {
                let asker = try #require(report["asker"] as? [String: Any])
                let accuracy = try #require(asker["action_accuracy"] as? [String: Double])
                #expect(accuracy["sub_question"] == iaCounters.askerSubquestionAccuracy)
                #expect(accuracy["answer"] == iaCounters.askerAnswerAccuracy)
                #expect(accuracy.values.allSatisfy { (0...1).contains($0) } && accuracy.count == 2)
                #expect(!(try store.metricSeries("asker_answer_accuracy", run: ia.id)).isEmpty)
            } else {
                #expect(report["asker"] == nil && iaCounters.askerAnswerAccuracy == nil)
                #expect(iaCounts["expertCalls"] == iaCounts["amplification.supervisorActions"])
            }
            #expect(try store.metricSeries("expert_calls", run: ia.id).last?.value == iaCounts["expertCalls"].map(Double.init))
        }
        let scripted = try #require(reports["scripted"]?["ia"] as? [String: Any])
        let learned = try #require(reports["learned"]?["ia"] as? [String: Any])
        let scriptedCalls = try #require(scripted["expert_calls"] as? Int)
        let learnedCalls = try #require(learned["expert_calls"] as? Int)
        #expect(learnedCalls > 0 && learnedCalls < scriptedCalls, "learned \(learnedCalls), scripted \(scriptedCalls)")
        #expect((learned["supervisor_actions"] as? Int ?? 0) > learnedCalls)
    }

    /// Starts a tiny run, kills it with SIGKILL once a checkpoint is stored, resumes it, and
    /// checks that it completes with every earlier metric intact and the numbers of an
    /// uninterrupted run. With the learned supervisor, H′ is in the checkpoint: the resumed run's
    /// expert calls and H′'s steps and accuracies equal the uninterrupted run's too.
    @Test(.tags(.slow), arguments: ["scripted", "learned"])
    func killNineThenResumeCompletesWithEarlierMetricsIntact(supervisor: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let arguments = [
            "run", "--preset", "tiny", "--seed", "5", "--steps", "120", "--eval-interval", "60", "--checkpoint-interval", "20",
            "--supervisor", supervisor, "--json", "--output", directory.url.path,
        ]
        let (process, _, err) = try IDAProcess.start(arguments + ["--db", directory.database], in: directory.url)
        // The store is opened only after the first progress line: before it, the child may still
        // be creating its schema.
        var checkpointed: [String: Int] = [:]
        let killed = await process.signal(SIGKILL) {
            guard (try? String(contentsOf: err, encoding: .utf8))?.contains("IA 0/120") == true,
                let store = try? SQLiteStore(path: directory.database)
            else { return false }
            defer { try? store.close() }
            for run in (try? store.runs()) ?? [] where run.kind != .group {
                if let checkpoint = try? store.latestCheckpoint(run: run.id) { checkpointed[run.id] = checkpoint.step }
            }
            return checkpointed.count == 2
        }
        #expect(killed, "the run ended before it could be killed: \((try? String(contentsOf: err, encoding: .utf8)) ?? "")")
        await process.exited()
        #expect(process.terminationReason == .uncaughtSignal)

        let before = try SQLiteStore(path: directory.database)
        let group = try #require(try before.runs().first { $0.kind == .group })
        #expect(group.status == .running)
        var lossBefore: [String: [MetricSample]] = [:]
        for run in try before.children(of: group.id) {
            lossBefore[run.id] = try before.metricSeries("loss", run: run.id)
            #expect(try before.latestCheckpoint(run: run.id) != nil)
        }
        try before.close()
        #expect(lossBefore.values.allSatisfy { !$0.isEmpty })

        let resumed = try await IDAProcess.run(
            ["run", "--resume", group.id, "--json", "--db", directory.database, "--output", directory.url.path],
            in: directory.url)
        #expect(resumed.status == 0, "\(resumed.standardError)")

        let after = try SQLiteStore(path: directory.database)
        #expect(try after.run(id: group.id).status == .completed)
        for (run, samples) in lossBefore {
            let now = try after.metricSeries("loss", run: run)
            let kept = Dictionary(uniqueKeysWithValues: now.map { ($0.step, $0.value) })
            for sample in samples { #expect(kept[sample.step] == sample.value, "run \(run) step \(sample.step)") }
            #expect(now.last?.step == 120)
        }
        try after.close()

        let uninterrupted = try await IDAProcess.run(
            arguments + ["--db", directory.url.appendingPathComponent("reference.sqlite").path], in: directory.url)
        #expect(uninterrupted.status == 0, "\(uninterrupted.standardError)")
        #expect(
            try Self.stableJSON(resumed.standardOutput) == Self.stableJSON(uninterrupted.standardOutput),
            "killed after checkpoints \(checkpointed); resumed:\n\(resumed.standardOutput)\nuninterrupted:\n\(uninterrupted.standardOutput)")
    }

    @Test(.tags(.slow)) func ctrlCMarksTheRunsInterruptedAndSaysHowToResume() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (process, _, err) = try IDAProcess.start(
            ["run", "--preset", "tiny", "--steps", "5000", "--seed", "2", "--checkpoint-interval", "20",
             "--db", directory.database, "--output", directory.url.path],
            in: directory.url)
        let interrupted = await process.signal(SIGINT) {
            guard (try? String(contentsOf: err, encoding: .utf8))?.contains("IA 0/5000") == true,
                let store = try? SQLiteStore(path: directory.database)
            else { return false }
            defer { try? store.close() }
            return ((try? store.runs()) ?? []).contains { $0.kind == .ia && (try? store.latestCheckpoint(run: $0.id)) != nil }
        }
        #expect(interrupted, "the run ended before it was interrupted: \((try? String(contentsOf: err, encoding: .utf8)) ?? "")")
        await process.exited()
        #expect(process.terminationStatus == 130)
        let store = try SQLiteStore(path: directory.database)
        let group = try #require(try store.runs().first { $0.kind == .group })
        #expect(group.status == .interrupted)
        #expect(try store.children(of: group.id).allSatisfy { $0.status == .interrupted })
        try store.close()
        let message = try String(contentsOf: err, encoding: .utf8)
        #expect(message.contains("interrupted; continue with `ida run --resume \(group.id)`"))
    }

    /// Bad input: one line on standard error (and a hint line where a fix is known), a non-zero
    /// exit, and every stored row unchanged. (The file's bytes are not compared: opening a
    /// `SQLiteStore` rewrites a few header and freelist bytes even when nothing is written.)
    @Test(arguments: [
        (["run", "--task", "sorting"], "unknown task \"sorting\""),
        (["run", "--preset", "huge"], "unknown preset \"huge\""),
        (["run", "--schedule", "weekly"], "unknown schedule \"weekly\""),
        (["run", "--steps", "0"], "--steps must be at least 1"),
        (["run", "--supervisor", "oracle"], "unknown supervisor \"oracle\"; use scripted or learned"),
        (["run", "--resume", "r-20990101-0000"], "no run with id r-20990101-0000"),
        (["run", "--resume", "COMPLETED"], "is already complete"),
        (["run", "--resume", "INTERRUPTED"], "saved training state is unreadable"),
        (["report", "r-20990101-0000"], "no run with id r-20990101-0000"),
        (["report", "INTERRUPTED"], "has no report yet"),
        (["run", "--seeds", "1,1"], "--seeds names a seed twice: 1,1"),
        (["run", "--seeds", "1,x"], "--seeds takes seeds separated by commas"),
        (["run", "--seeds", "1,2", "--seed", "3"], "--seeds runs several seeds; give it without --seed or --resume"),
        (["run", "--shared-targets"], "--shared-targets needs a database the workers share: pass --db postgres://"),
        (["run", "--shared-targets", "--supervisor", "learned"], "--shared-targets needs --method ia and --supervisor scripted"),
        (["run", "--shared-targets", "--resume", "INTERRUPTED"], "--resume keeps the run's own setting; drop --shared-targets"),
    ])
    func badInputFailsWithOneLineAndLeavesTheStoreAlone(arguments: [String], message: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = try StoredRunFixture.make(at: directory.database)
        let rows = try StoredRunFixture.dump(directory.database)
        let resolved = arguments.map {
            $0 == "COMPLETED" ? fixture.completed.id : $0 == "INTERRUPTED" ? fixture.interrupted.id : $0
        }
        let outcome = try await IDAProcess.run(resolved + ["--db", directory.database], in: directory.url)
        #expect(outcome.status != 0)
        #expect(outcome.standardOutput.isEmpty)
        #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
        let lines = outcome.standardError.split(separator: "\n").filter { !$0.hasPrefix("Usage:") && !$0.hasPrefix("  See") }
        #expect(lines.count == 1 || (lines.count == 2 && lines[1].hasPrefix("hint:")), "\(outcome.standardError)")
        #expect(lines.first?.hasPrefix("Error: ") == true)
        #expect(try StoredRunFixture.dump(directory.database) == rows)
    }
}

extension Tag {
    /// End-to-end runs of the built binary: seconds each.
    @Tag static var slow: Self
}
