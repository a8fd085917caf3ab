import Foundation
import IDATestSupport
import SeededRandom
import Store
import Testing

@testable import StorePostgres

import class StoreTestSupport.FreshDatabase
import enum StoreTestSupport.StoreBackend


/// A run shared out among `ida worker` processes on a real PostgreSQL server, with a model
/// endpoint that answers in a fixed time (`scripts/scripted-model-server`, a script in place of
/// a model, so that every run does the same work).
@Suite(.enabled(if: StoreBackend.server != nil, "IDA_POSTGRES_TEST_URL names no server"), .serialized)
struct SharedRunTests {
    /// The scripted endpoint on a free port, stopped when the value goes.
    final class ScriptedEndpoint {
        let process = Process()
        let url: String

        init(latency: Double) throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            process.executableURL = root.appendingPathComponent("scripts/scripted-model-server")
            process.arguments = ["--port", "0", "--latency", "\(latency)"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            url = line.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        deinit {
            // SIGKILL: a child of the test process may inherit SIGTERM blocked.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// What each shared run's test starts from: a directory, a fresh database on the server,
    /// the scripted endpoint and a file of `count` questions; the directory removed with it.
    final class Setting {
        let directory: TemporaryDirectory
        let fresh: FreshDatabase
        let endpoint: ScriptedEndpoint
        let questions: String

        init(questions count: Int, latency: Double) throws {
            directory = try TemporaryDirectory()
            fresh = try FreshDatabase(.postgres)
            endpoint = try ScriptedEndpoint(latency: latency)
            questions = try SharedRunTests.questions(count, in: directory)
        }

        var database: String { fresh.locator }

        deinit { directory.remove() }
    }

    /// The run an `ida amplify`, `ida trace` or `ida queue` names on the last line it prints
    /// (`stored as run R; …`).
    static func run(printedBy outcome: IDAProcess.Outcome) throws -> String {
        try #require(outcome.standardOutput.split(separator: "\n").last?.split(separator: " ").dropFirst(3).first)
            .trimmingCharacters(in: .punctuationCharacters)
    }

    /// The run `ida amplify` names on its first line of standard error (`ida amplify: run R`).
    static func run(startedIn standardError: String) -> String? {
        standardError.split(separator: "\n").first { $0.hasPrefix("ida amplify: run ") }.map { String($0.dropFirst(17)) }
    }

    static func questions(_ count: Int, in directory: TemporaryDirectory) throws -> String {
        let path = directory.url.appendingPathComponent("questions.jsonl").path
        let lines = (1...count).map { index in
            #"{"question": "What does fact 1 say about box \#(index)?", "facts": ["Box \#(index) holds \#(index * 7) marbles."], "answer": "Box \#(index) holds \#(index * 7) marbles."}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Workers killed with SIGKILL at random moments, many times, while they hold questions:
    /// every question is still answered, each tree is written once, and the tree equals the one
    /// a single process grows.
    ///
    /// The killing runs on a thread of its own (``onOwnThread(_:)``): it keeps its pace while the
    /// rest of the suite fills Swift's cooperative threads (an awaited sleep waited there for
    /// longer than the whole run), and holds none of them while it sleeps and waits.
    @Test func workersKilledMidQuestionLoseNothingAndDoNothingTwice() async throws {
        // Enough waiting (72 questions, two 0.3 s completions each, three workers: 14 s) that ten
        // kills fit in even when the whole suite shares the cores.
        let questionCount = 72
        let setting = try Setting(questions: questionCount, latency: 0.3)
        defer { withExtendedLifetime(setting) {} }
        let (directory, database, endpoint, questions) = (setting.directory, setting.database, setting.endpoint, setting.questions)
        let model = ["--url", endpoint.url, "--model", "scripted"]

        let alone = try await IDAProcess.run(
            ["amplify", "--questions", questions, "--max-depth", "0", "--db", directory.database] + model, in: directory.url)
        #expect(alone.status == 0, "\(alone.standardError)")
        let aloneRun = try Self.run(printedBy: alone)

        let queued = try await IDAProcess.run(["queue", "--questions", questions, "--max-depth", "0", "--db", database], in: directory.url)
        #expect(queued.status == 0, "\(queued.standardError)")
        let run = queued.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let worker = ["worker", "--supervisor", "llm", "--lease", "1", "--run", run, "--db", database] + model

        let store = try PostgresStore(location: PostgresLocation(parsing: database))
        defer { try? store.close() }
        let (workers, kills, attempts) = try await onOwnThread {
            var workers = try (0..<3).map { _ in try IDAProcess.start(worker, in: directory.url).0 }
            var random = SplitMix64(seed: 11)
            var kills = 0
            var attempts: [String] = []
            while kills < 10, try store.workCounts(run: run).done < questionCount {
                Thread.sleep(forTimeInterval: Double(Int.random(in: 150...600, using: &random)) / 1000)
                let victim = Int.random(in: 0..<workers.count, using: &random)
                // Not `isRunning`: Foundation can report a live child as ended while other tests'
                // children come and go. A worker still at work takes the signal.
                let killed = kill(workers[victim].processIdentifier, SIGKILL)
                attempts.append("kill \(workers[victim].processIdentifier): \(killed == 0 ? "sent" : "errno \(errno)")")
                guard killed == 0 else { continue }
                workers[victim].waitUntilExit()
                attempts.append("ended \(workers[victim].terminationReason == .uncaughtSignal ? "by the signal" : "on its own")")
                if workers[victim].terminationReason == .uncaughtSignal { kills += 1 }
                workers[victim] = try IDAProcess.start(worker, in: directory.url).0
            }
            for process in workers { process.waitUntilExit() }
            return (workers, kills, attempts)
        }
        #expect(kills >= 5, "the workers finished before enough of them were killed: \(attempts)")
        #expect(workers.allSatisfy { $0.terminationReason == .exit && $0.terminationStatus == 0 })

        let counts = try store.workCounts(run: run)
        #expect(counts.done == questionCount && counts.queued == 0 && counts.leased == 0)
        #expect(counts.claims > questionCount, "killed workers' questions were claimed again: \(counts)")
        #expect(try store.run(id: run).status == .completed)
        let records = try store.workspaces(run: run)
        #expect(records.count == questionCount && records.allSatisfy { $0.state == .answered })

        let shared = try await tree(run, database, in: directory)
        #expect(shared == (try await tree(aloneRun, directory.database, in: directory)))
        #expect(shared.contains("Box 72 holds 504 marbles."))
    }

    /// A run whose model calls are work items (`ida amplify --model-calls workers`), made by
    /// `ida worker`s (three calls at once each) of which six are killed with SIGKILL mid-call and
    /// replaced: every call is answered, each once in the tree, and the tree and answers equal
    /// those of the same run calling the endpoint itself.
    @Test(.tags(.slow)) func modelCallsMadeByWorkersKilledMidCallLoseNothing() async throws {
        // 80 calls of 0.3 s, six at once: enough waiting for six kills on a loaded machine.
        let questionCount = 40
        let setting = try Setting(questions: questionCount, latency: 0.3)
        defer { withExtendedLifetime(setting) {} }
        let (directory, database, endpoint, questions) = (setting.directory, setting.database, setting.endpoint, setting.questions)
        let amplify = ["amplify", "--questions", questions, "--max-depth", "0", "--model", "scripted", "--concurrency", "6"]

        let alone = try await IDAProcess.run(amplify + ["--url", endpoint.url, "--db", directory.database], in: directory.url)
        #expect(alone.status == 0, "\(alone.standardError)")

        let (engine, out, err) = try IDAProcess.start(amplify + ["--model-calls", "workers", "--db", database], in: directory.url)
        defer { if engine.isRunning { kill(engine.processIdentifier, SIGKILL) } }
        var run: String?
        while run == nil, engine.isRunning {
            let printed = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
            run = Self.run(startedIn: printed)
            try await Task.sleep(for: .milliseconds(50))
        }
        let shared = try #require(run, "the run did not start: \((try? String(contentsOf: err, encoding: .utf8)) ?? "")")
        // Three calls at once per worker: a killed worker loses all it holds.
        let worker = [
            "worker", "--supervisor", "llm", "--url", endpoint.url, "--model", "scripted", "--slots", "3", "--lease", "1",
            "--run", shared, "--db", database,
        ]
        let workers = try MidItemKill.Workers(2, worker, in: directory.url)
        let store = try PostgresStore(location: PostgresLocation(parsing: database))
        defer { try? store.close() }

        let kills = try await MidItemKill.killHolders(6, of: workers, pausing: 100...500, seed: 23, in: store, while: engine)
        let outcome = try IDAProcess.outcome(engine, out, err)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(kills == 6, "the run ended before six workers were killed mid-call (\(kills))")
        for process in workers.processes { await process.exited() }
        #expect(workers.processes.allSatisfy { $0.terminationReason == .exit && $0.terminationStatus == 0 }, "the workers stop with the run")

        let counts = try store.workCounts(run: shared)
        #expect(counts.queued == 0 && counts.leased == 0 && counts.done >= 2 * questionCount, "\(counts)")
        #expect(counts.claims >= counts.done + kills, "each killed worker's call was claimed again: \(counts)")
        #expect(try store.nextItem(run: shared) == counts.done, "one item per call")
        #expect(try store.run(id: shared).status == .completed)

        // The answers, without the last two lines (cost and time, the run's id).
        func answers(_ printed: String) -> [Substring] { printed.split(separator: "\n").dropLast(2) }
        #expect(answers(outcome.standardOutput) == answers(alone.standardOutput), "shared:\n\(outcome.standardOutput)\nalone:\n\(alone.standardOutput)")
        #expect(answers(outcome.standardOutput).count == questionCount + 1 && outcome.standardOutput.contains("accuracy: \(questionCount)/\(questionCount)"))
        let aloneRun = try Self.run(printedBy: alone)
        #expect(try await tree(shared, database, in: directory) == tree(aloneRun, directory.database, in: directory))
    }

    /// A run whose calls workers make, stopped by its budget and resumed: it finishes with the
    /// tree of a run that called the endpoint itself, and leaves no item open.
    @Test(.tags(.slow)) func aRunWhoseCallsWorkersMakeResumesAfterItsBudget() async throws {
        let setting = try Setting(questions: 12, latency: 0.05)
        defer { withExtendedLifetime(setting) {} }
        let (directory, database, endpoint, questions) = (setting.directory, setting.database, setting.endpoint, setting.questions)
        let model = ["--model", "scripted", "--concurrency", "4"]
        let alone = try await IDAProcess.run(
            ["amplify", "--questions", questions, "--max-depth", "0", "--url", endpoint.url, "--db", directory.database] + model,
            in: directory.url)
        #expect(alone.status == 0, "\(alone.standardError)")

        let worker = try IDAProcess.start(
            ["worker", "--supervisor", "llm", "--url", endpoint.url, "--model", "scripted", "--slots", "2", "--db", database],
            in: directory.url
        ).0
        defer { kill(worker.processIdentifier, SIGKILL) }
        let stopped = try await IDAProcess.run(
            ["amplify", "--questions", questions, "--max-depth", "0", "--model-calls", "workers", "--requests", "9", "--db", database]
                + model, in: directory.url)
        #expect(stopped.status != 0)
        let run = try #require(Self.run(startedIn: stopped.standardError))
        #expect(stopped.standardError.contains("budget of 9 model requests is spent"), "\(stopped.standardError)")
        let resumed = try await IDAProcess.run(
            ["amplify", "--resume", run, "--model-calls", "workers", "--db", database] + model, in: directory.url)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardOutput.contains("accuracy: 12/12"))
        let store = try PostgresStore(location: PostgresLocation(parsing: database))
        defer { try? store.close() }
        let counts = try store.workCounts(run: run)
        #expect(counts.queued == 0 && counts.leased == 0, "\(counts)")
        let aloneRun = try Self.run(printedBy: alone)
        #expect(try await tree(run, database, in: directory) == tree(aloneRun, directory.database, in: directory))
    }

    /// The real model server (`scripts/test` starts one) behind the queue: every request the run
    /// sends is one item, made by the worker, and the run finishes with an answer to each question.
    @Test(.enabled(if: commandTestModelServer != nil, "no model server: set IDA_LLM_TEST_URL"))
    func aRealModelServersCallsGoThroughTheQueue() async throws {
        let setting = try Setting(questions: 2, latency: 0)
        defer { withExtendedLifetime(setting) {} }
        let (directory, database, questions) = (setting.directory, setting.database, setting.questions)
        let model = ProcessInfo.processInfo.environment["IDA_LLM_TEST_MODEL"] ?? "smollm2"
        let (worker, _, workerErr) = try IDAProcess.start(
            ["worker", "--supervisor", "llm", "--url", commandTestModelServer!, "--model", model, "--slots", "2", "--db", database],
            in: directory.url)
        defer { kill(worker.processIdentifier, SIGKILL) }
        let amplified = try await IDAProcess.run(
            [
                "amplify", "--questions", questions, "--max-depth", "0", "--model", model, "--max-tokens", "32", "--attempts", "2",
                "--model-calls", "workers", "--db", database,
            ], in: directory.url)
        #expect(amplified.status == 0, "\(amplified.standardError)")
        #expect(amplified.standardOutput.hasPrefix("1. What does fact 1 say about box 1? → "))
        let requests = try #require(
            amplified.standardOutput.firstMatch(of: /model: (\d+) requests/).flatMap { Int($0.1) }, "\(amplified.standardOutput)")
        #expect(requests >= 2)
        let run = try Self.run(printedBy: amplified)
        let store = try PostgresStore(location: PostgresLocation(parsing: database))
        defer { try? store.close() }
        #expect(try store.workCounts(run: run) == WorkCounts(queued: 0, leased: 0, done: requests, claims: requests))
        let made = try String(contentsOf: workerErr, encoding: .utf8).split(separator: "\n").filter { $0.contains("model call") }
        #expect(made.count == requests, "\(made)")
    }

    /// Bad input to the shared commands: one line, a failing exit, nothing stored.
    @Test func badInputIsOneLineAndStoresNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let questions = try Self.questions(2, in: directory)
        let onSQLite = try await IDAProcess.run(
            ["amplify", "--questions", questions, "--model", "scripted", "--model-calls", "workers", "--db", directory.database],
            in: directory.url)
        #expect(onSQLite.status != 0 && onSQLite.standardError.split(separator: "\n").count == 1)
        #expect(onSQLite.standardError.contains("--model-calls workers needs a PostgreSQL database"), "\(onSQLite.standardError)")
        #expect(try SQLiteStore(path: directory.database).runs().isEmpty)

        let fresh = try FreshDatabase(.postgres)
        defer { withExtendedLifetime(fresh) {} }
        let slots = try await IDAProcess.run(["worker", "--slots", "0", "--db", fresh.locator], in: directory.url)
        #expect(slots.status != 0 && slots.standardError.contains("--slots must be at least 1, got 0"), "\(slots.standardError)")
    }

    /// `ida trace RUN` without its first line (which names the run).
    func tree(_ run: String, _ database: String, in directory: TemporaryDirectory) async throws -> String {
        let printed = try await IDAProcess.run(["trace", run, "--db", database], in: directory.url)
        #expect(printed.status == 0, "\(printed.standardError)")
        return printed.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
    }
}
