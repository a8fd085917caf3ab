import Amplification
import Application
import Foundation
import LanguageModels
import Store
import Tasks
import Testing

@testable import IDACommand

/// Reads the facts in order, then answers with them joined: a supervisor whose every step the
/// domain accepts.
private struct FactReader: SynchronousSupervisor {
    var agent: Agent { .program("fact-reader") }

    func action(on workspace: Workspace) -> SupervisorAction {
        let read = workspace.exchanges.map { $0.answer.text ?? "" }
        if let last = read.last, last.hasPrefix("there is no fact") || workspace.subquestionsLeft == 0 {
            return .answer(.text(read.dropLast().joined(separator: " ")))
        }
        return .ask(.text("fact \(read.count + 1)"))
    }
}

@Suite struct TrainingExportTests {
    func textRun(in store: any RunStore) async throws -> String {
        let questions = (1...12).map { index in
            TextFacts(question: "What do the facts of \(index) say?", facts: ["a\(index)", "b\(index)"], referenceAnswer: "a\(index) b\(index)")
        }
        let job = TextJob(questions: questions, depth: 0, assistant: .hch, seed: 3)
        return try await job.start(
            in: store, domain: TextDomain(), supervisor: FactReader(), assistant: ConstantAssistant.unknown(in: TextDomain()),
            schedule: "ask"
        ).run
    }

    /// Each line checked against the format's published rules: OpenAI's chat fine-tuning lines
    /// (`messages`, roles system/user/assistant, the last the assistant's), TRL's conversational
    /// prompt-completion (`prompt` ending with the user, `completion` one assistant message),
    /// DSPy's strict `messages` (each message exactly a role and its content).
    static func check(_ line: String, _ format: ExportFormat) throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        func messages(_ value: Any?) throws -> [[String: Any]] {
            let list = try #require(value as? [[String: Any]])
            for message in list {
                #expect(Set(message.keys) == ["role", "content"])
                #expect(["system", "user", "assistant"].contains(message["role"] as? String))
                let content = try #require(message["content"] as? String)
                #expect(!content.isEmpty)
            }
            return list
        }
        switch format {
        case .openai, .dspy:
            #expect(Set(object.keys) == ["messages"])
            let list = try messages(object["messages"])
            #expect(list.count >= 2)
            #expect(list.last?["role"] as? String == "assistant")
            #expect(list.contains { $0["role"] as? String == "user" })
        case .trl:
            #expect(Set(object.keys) == ["prompt", "completion"])
            let prompt = try messages(object["prompt"])
            let completion = try messages(object["completion"])
            #expect(prompt.last?["role"] as? String == "user")
            #expect(completion.count == 1 && completion[0]["role"] as? String == "assistant")
        }
    }

    @Test(arguments: ExportFormat.allCases)
    func aTextRunsDecisionsAreValidLinesWithTheirProvenance(format: ExportFormat) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ida-export-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("ida.sqlite").path)
        let run = try await textRun(in: store)
        let export = try TrainingExport.examples(of: run, in: store, split: 0.5)

        // 12 questions: an answer each, and three steps each (fact 1, fact 2, fact 3 → none; answer).
        #expect(export.examples.count { $0.role == .answerer } == 12)
        #expect(export.examples.count { $0.role == .decomposer } == 12 * 4)
        #expect(export.examples.allSatisfy { $0.role == .decomposer || $0.meta.verified == true })
        #expect(Set(export.examples.map(\.side)) == [.train, .valid])
        // Split by main question: a tree's examples are all on one side.
        let sides = Dictionary(grouping: export.examples, by: { $0.meta.node.split(separator: ".")[0] })
        #expect(sides.values.allSatisfy { Set($0.map(\.side)).count == 1 })

        let files = export.files(in: format)
        #expect(files.map(\.name).sorted() == [
            "answerer.train.jsonl", "answerer.valid.jsonl", "decomposer.train.jsonl", "decomposer.valid.jsonl", "meta.jsonl",
        ])
        var linesByFile: [String: [String]] = [:]
        for file in files where file.name != "meta.jsonl" {
            let lines = file.text.split(separator: "\n").map(String.init)
            linesByFile[file.name] = lines
            #expect(Set(lines).count == lines.count)  // no repeats
            for line in lines { try Self.check(line, format) }
        }
        let meta = try #require(files.first { $0.name == "meta.jsonl" }).text.split(separator: "\n")
        #expect(meta.count == export.examples.count)
        for line in meta {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let file = try #require(object["file"] as? String)
            let number = try #require(object["line"] as? Int)
            #expect((linesByFile[file]?.count ?? 0) >= number && number >= 1)
            #expect(object["run"] as? String == run)
            #expect(object["agent"] as? String == "program:fact-reader")
            #expect(object["cost"] as? Int ?? 0 >= 1)
            #expect(object.keys.contains("verified"))
        }
        // The first decomposer example of a tree: the question alone → `ask fact 1`.
        let first = try #require(export.examples.first { $0.role == .decomposer })
        #expect(first.messages.last == ChatMessage(.assistant, "ask fact 1"))
        #expect(first.messages.dropLast().last?.content.contains("question: What do the facts of 1 say?") == true)
    }

    @Test func idaTracePrintsAStoredTextTree() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ida-export-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("ida.sqlite").path)
        let run = try await textRun(in: store)
        let text = try TraceCommand.stored(run: run, node: "3", store: store)
        #expect(text.hasPrefix("run \(run): text questions (ask), seed 3, completed"))
        #expect(text.contains("3  What do the facts of 3 say? → a3 b3"))
        #expect(text.contains("fact 1 → a3"))
    }

    @Test func aTaskTreeIsExportedInItsWordsAndVerifiedByTheOracle() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ida-export-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("ida.sqlite").path)
        let task = try TaskCatalog.task(named: "wildcard", preset: "tiny")
        let job = AmplificationJob(task: "wildcard", preset: "tiny", seed: 4, instances: 2, depth: 3)
        let run = try await job.start(in: store, supervisor: ScriptedExpert(task: task)).run
        let export = try TrainingExport.examples(of: run, in: store, split: 0.9)
        let answers = export.examples.filter { $0.role == .answerer }
        #expect(!answers.isEmpty)
        // The expert with HCH deep enough answers every question right, and the oracle says so.
        #expect(answers.allSatisfy { $0.meta.verified == true && $0.meta.agent == "expert" })
        let domain = TaskDomain(task)
        for example in export.examples where example.role == .decomposer {
            #expect(try domain.parseAction(example.messages.last!.content) == expert(example, task: task, domain: domain))
        }
    }

    /// The expert's action on the workspace a decomposer example shows, read back from its words.
    private func expert(_ example: TrainingExport.Example, task: any AmplificationTask, domain: TaskDomain) throws
        -> SupervisorAction
    {
        let lines = example.messages[example.messages.count - 2].content.split(separator: "\n").map(String.init)
        let question = try domain.parse(String(lines[0].dropFirst("question: ".count)), subquestion: true)
        var exchanges: [Exchange] = []
        for line in lines.dropFirst() {
            guard let dot = line.firstIndex(of: "."), Int(line[..<dot]) != nil else { continue }
            let parts = line[line.index(dot, offsetBy: 2)...].components(separatedBy: " → ")
            exchanges.append(
                Exchange(
                    question: try domain.parse(parts[0], subquestion: true).tokens,
                    answer: try domain.parse(parts[1], subquestion: false).tokens))
        }
        return ScriptedExpert(task: task).action(on: Workspace(question: question, exchanges: exchanges, subquestionsLeft: 9))
    }

    @Test func aRunWithoutATreeIsRefusedInOneLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ida-export-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("ida.sqlite").path)
        let run = try store.createRun(
            NewRun(kind: .ia, task: "permutation", preset: "tiny", schedule: "continuous", configuration: "{}", seed: 1, createdAt: Date()))
        #expect {
            try TrainingExport.examples(of: run.id, in: store, split: 0.9)
        } throws: { error in
            "\(error)".contains("its kind is ia, and only stored trees export")
        }
    }
}
