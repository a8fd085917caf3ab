import Foundation
import Store
import Testing

@testable import IDACommand

let commandTestModelServer = ProcessInfo.processInfo.environment["IDA_LLM_TEST_URL"]

/// `ida ask`, `ida amplify --questions` and `ida export` as a user runs them, against the real
/// model server `scripts/test` starts (IDA_LLM_TEST_URL).
@Suite(.serialized, .enabled(if: commandTestModelServer != nil, "no model server: set IDA_LLM_TEST_URL"))
struct LanguageModelCommandTests {
    let model = ProcessInfo.processInfo.environment["IDA_LLM_TEST_MODEL"] ?? "smollm2"

    func parse<Command>(_ arguments: [String], as type: Command.Type) throws -> Command {
        try #require(try IDA.parseAsRoot(arguments) as? Command)
    }

    @Test func askAmplifyAndExportStoreCacheAndWriteTheirRuns() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ida-commands-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("ida.sqlite").path
        let facts = directory.appendingPathComponent("facts.txt")
        try "The car is red.\nThe bike is blue.\n".write(to: facts, atomically: true, encoding: .utf8)
        let common = ["--model", model, "--url", commandTestModelServer!, "--db", db, "--max-tokens", "32", "--attempts", "2"]

        let ask = try parse(
            ["ask", "What colour is the car?", "--context", facts.path, "--assistant", "llm", "--max-depth", "1"] + common,
            as: AskCommand.self)
        try await ask.run()
        let store = try SQLiteStore(path: db)
        let asked = try #require(try store.runs().first { $0.schedule == "ask" })
        #expect(asked.status == .completed)
        let workspaces = try store.workspaces(run: asked.id)
        #expect(!workspaces.isEmpty)
        #expect(workspaces.contains { $0.answeredBy == "llm:\(model)" || $0.answeredBy == "budget" })

        let questions = directory.appendingPathComponent("questions.jsonl")
        try """
            {"question": "What colour is the car?", "facts": ["The car is red."], "answer": "red"}
            {"question": "What is 2 + 2?", "answer": "4"}
            """.write(to: questions, atomically: true, encoding: .utf8)
        let amplify = try parse(["amplify", "--questions", questions.path, "--max-depth", "0"] + common, as: AmplifyCommand.self)
        try await amplify.run()
        let amplified = try #require(try store.runs().first { $0.schedule == "amplify" })
        #expect(amplified.status == .completed)

        // Again: every reply from the cache, so the same tree.
        try await amplify.run()
        let runs = try store.runs().filter { $0.schedule == "amplify" }
        #expect(runs.count == 2)
        let trees = try runs.map { run in try store.workspaces(run: run.id).map { [$0.id, $0.question, $0.answer ?? ""] } }
        #expect(trees[0] == trees[1])

        let output = directory.appendingPathComponent("export").path
        let export = try parse(["export", amplified.id, "--db", db, "--output", output, "--format", "trl"], as: ExportCommand.self)
        try export.run()
        let files = try FileManager.default.contentsOfDirectory(atPath: output).sorted()
        #expect(files == [
            "answerer.train.jsonl", "answerer.valid.jsonl", "decomposer.train.jsonl", "decomposer.valid.jsonl", "meta.jsonl",
        ])
        let meta = try String(contentsOfFile: output + "/meta.jsonl", encoding: .utf8)
        #expect(meta.contains("\"agent\":\"llm:\(model)\""))
    }

    /// A spent budget stops the run in one line naming it and how to go on; going on completes it.
    @Test func aSpentBudgetSaysHowToGoOnAndResumeFinishes() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ida-commands-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("ida.sqlite").path
        let questions = directory.appendingPathComponent("questions.jsonl")
        // Two questions: at least two requests, whatever the model replies, so one always stops.
        try """
            {"question": "What colour is the car?", "facts": ["The car is red."], "answer": "red"}
            {"question": "What colour is the bike?", "facts": ["The bike is blue."], "answer": "blue"}
            """.write(to: questions, atomically: true, encoding: .utf8)
        let common = ["--model", model, "--url", commandTestModelServer!, "--db", db, "--max-tokens", "32"]

        let stopped = try parse(["amplify", "--questions", questions.path, "--requests", "1"] + common, as: AmplifyCommand.self)
        var message = ""
        do {
            try await stopped.run()
        } catch {
            message = "\(error)"
        }
        let store = try SQLiteStore(path: db)
        let run = try #require(try store.runs().first { $0.schedule == "amplify" })
        #expect(run.status == .failed)
        #expect(message.contains("budget of 1 model requests is spent"))
        #expect(message.contains("`ida amplify --resume \(run.id)` goes on with it"))
        #expect(!message.contains("\n"))

        let resumed = try parse(["amplify", "--resume", run.id] + common, as: AmplifyCommand.self)
        try await resumed.run()
        #expect(try store.run(id: run.id).status == .completed)
    }

    @Test func anUnknownModelStopsBeforeAnyRunInOneLine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ida-commands-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("ida.sqlite").path
        let ask = try parse(
            ["ask", "Anything?", "--model", "no-such-model", "--url", commandTestModelServer!, "--db", db], as: AskCommand.self)
        await #expect {
            try await ask.run()
        } throws: { error in
            let text = "\(error)"
            return text.contains("does not serve the model \"no-such-model\"") && !text.contains("\n")
        }
        #expect(try SQLiteStore(path: db).runs().isEmpty)
    }
}
