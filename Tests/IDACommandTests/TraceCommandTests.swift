@testable import Application
import Amplification
import Foundation
@testable import IDACommand
import Store
import Tasks
import Testing

@Suite struct TraceCommandTests {
    static func parse(_ arguments: [String]) throws -> TraceCommand {
        try #require(try IDA.parseAsRoot(arguments) as? TraceCommand)
    }

    @Test func seededTraceIsExactlyThis() async throws {
        let command = try Self.parse(
            ["trace", "--task", "permutation", "--preset", "tiny", "--seed", "2", "--depth", "0", "--question", "1"])
        #expect(try await command.output(seed: 2) == Self.permutationTinySeed2)
    }

    static let permutationTinySeed2 = """
        permutation (size 5), seed 2: facts
          c d
          d e
          b a
          e c
          a b
        question 1: d 0 1 0 (depth 0), HCH_0, ground truth c

        1  d 0 1 0 → c   [expert: 3 actions; subtree 3 actions, 2 leaf lookups]
          1.1  d 0 0 1 → e   [leaf lookup]
          1.2  e 0 0 1 → c   [leaf lookup]

        answer c: correct
        supervisor actions 3, leaf lookups 2, assistant calls 0 (0 questions), ground truth 0, loops 0, budget 0, rejected 0
        """

    /// By default the deepest question, at its own depth: always answered correctly.
    @Test(arguments: TaskCatalog.taskNames, [UInt64(1), 2, 3])
    func defaultTraceAnswersItsQuestionCorrectly(taskName: String, seed: UInt64) async throws {
        let command = try Self.parse(["trace", "--task", taskName, "--preset", "small", "--seed", "\(seed)"])
        let text = try await command.output(seed: seed)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains { $0.hasPrefix("answer ") && $0.hasSuffix(": correct") })
        #expect(text.contains("ground truth 0, loops 0, budget 0"))
    }

    @Test func questionOutsideTheInstanceFails() async throws {
        let command = try Self.parse(["trace", "--task", "permutation", "--preset", "tiny", "--question", "99"])
        await #expect(throws: TraceCommand.Problem.self) {
            try await command.output(seed: 1)
        }
    }

    @Test func unknownTaskFailsInOneLine() throws {
        let run = try EndToEndTests.ida(["trace", "--task", "nope"])
        #expect(run.status != 0)
        #expect(run.standardError.split(separator: "\n").count == 1)
        #expect(run.standardError.contains("unknown task \"nope\""))
    }

    /// A traced tree is stored as it grows, reads back as it was printed, and any node of it
    /// (a workspace, or an exchange answered by a lookup) reads back with everything below it,
    /// with the same ids.
    @Test(arguments: ["wildcard", "shortest-path"])
    func aStoredTreeReadsBackWholeAndFromAnyNode(taskName: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let command = try Self.parse(["trace", "--task", taskName, "--preset", "small", "--seed", "3", "--db", directory.database])
        let store = try SQLiteStore(path: directory.database)
        let (text, run) = try await command.tracedAndStored(seed: 3, in: store)
        #expect(try store.run(id: run).kind == .hch && store.run(id: run).status == .completed)
        #expect(text == (try await command.output(seed: 3)), "storing changes nothing printed")

        let treeLines = text.split(separator: "\n").filter { $0.contains("→") }
        let whole = try TraceCommand.stored(run: run, node: nil, store: store)
        #expect(whole.split(separator: "\n").filter { $0.contains("→") } == treeLines)

        // Each line is indented by its depth and starts with its node's id.
        let nodes = treeLines.map { $0.trimmingCharacters(in: .whitespaces) }
        let ids = nodes.map { String($0.prefix { $0 != " " }) }
        #expect(try store.workspaces(run: run).count < ids.count, "lookups are exchanges of their workspace, not rows")
        for id in ids {
            let subtree = try TraceCommand.stored(run: run, node: id, store: store)
            let lines = subtree.split(separator: "\n").filter { $0.contains("→") }
            let below = nodes.filter { $0.hasPrefix(id + " ") || $0.hasPrefix(id + ".") }
            #expect(lines.map { $0.trimmingCharacters(in: .whitespaces) } == below, "node \(id)")
        }
    }

    @Test func storedTreeErrorsNameTheRunAndTheNode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.database)
        let ia = try store.createRun(
            NewRun(kind: .ia, task: "permutation", preset: "tiny", schedule: "continuous", configuration: "{}", seed: 1, createdAt: Date()))
        #expect(throws: TraceCommand.Problem.self) { try TraceCommand.stored(run: ia.id, node: nil, store: store) }
        let tree = try store.createRun(
            NewRun(kind: .hch, task: "permutation", preset: "tiny", schedule: "hch", configuration: "{}", seed: 1, createdAt: Date()))
        for node in ["1", "0", "x", "1..2"] {
            #expect(throws: TraceCommand.Problem.self) { try TraceCommand.stored(run: tree.id, node: node, store: store) }
        }
        #expect(throws: StoreError.runNotFound(id: "r-nope")) { try TraceCommand.stored(run: "r-nope", node: nil, store: store) }
        #expect(throws: ApplicationError.tree(run: tree.id)) { try TrainingJob.report(of: tree.id, in: store) }
    }

    @Test(arguments: [["trace"], ["trace", "r-1", "--task", "permutation"], ["trace", "--task", "permutation", "1.2"]])
    func aTaskOrARunButNotBoth(arguments: [String]) throws {
        let command = try Self.parse(arguments)
        #expect(throws: TraceCommand.Problem.self) { try command.checkOptions() }
    }
}
