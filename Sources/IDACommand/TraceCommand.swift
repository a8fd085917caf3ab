import Amplification
import Application
import ArgumentParser
import Foundation
import SeededRandom
import Store
import Tasks

/// `ida trace`: the amplification tree of one question, answered by HCH with the scripted expert.
struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Print the amplification tree of one question (HCH with the scripted expert), or a stored one.",
        discussion: """
            With --task: samples one instance, picks a question (by default its deepest), and \
            answers it with HCH_n (by default n = the question's depth, enough to answer it \
            correctly). Prints the facts, then one line per node: its id, the question and its \
            answer in the task's tokens, and who answered (the expert with its action count and \
            subtree cost, a leaf lookup, a loop or an exhausted budget), children indented under \
            their parent. The tree is stored in the database as a run of kind hch.

            With a run id: prints that stored tree, or with a node id (1, 1.2, …) that node and \
            everything below it.
            """
    )

    @Argument(help: "A stored tree to print: its run id (`ida runs` lists them).")
    var run: String?

    @Argument(help: "The node of the stored tree to print with its subtree, by id (default: all).")
    var node: String?

    @Option(help: "The task: permutation, assignments, wildcard, shortest-path or union-find.")
    var task: String?

    @Option(help: "The preset: tiny, small or paper.")
    var preset = "small"

    @OptionGroup var store: StoreOptions

    @Option(help: "The seed of the instance (chosen and printed when omitted).")
    var seed: UInt64?

    @Option(help: "The HCH depth n (default: the question's depth).")
    var depth: Int?

    @Option(help: "The index of the question in the instance (default: the deepest one).")
    var question: Int?

    /// Bad option values, reported in one line.
    enum Problem: Error, CustomStringConvertible {
        case negativeDepth(Int)
        case questionOutOfRange(Int, questionCount: Int)
        case taskOrRun
        case notATree(run: String, kind: RunKind)
        case noSuchNode(run: String, node: String)

        var description: String {
            switch self {
            case .negativeDepth(let depth): "--depth must be at least 0, got \(depth)"
            case let .questionOutOfRange(index, questionCount):
                "--question \(index) is outside the instance's questions; choose 0...\(questionCount - 1)"
            case .taskOrRun:
                "give --task to trace a new question, or a stored run id to print its tree, not both"
            case let .notATree(run, kind):
                "run \(run) is an \(kind.rawValue) run, not a tree (`ida report \(run)` shows it)"
            case let .noSuchNode(run, node):
                "run \(run) has no node \(node) (ids are 1, 1.2, 1.2.1, …; `ida trace \(run)` prints them all)"
            }
        }
    }

    func run() async throws {
        try checkOptions()
        if let run {
            print(try Self.stored(run: run, node: node, store: store.openExisting()))
            return
        }
        let seed = self.seed ?? chosenSeed(command: "trace")
        let (text, stored) = try await tracedAndStored(seed: seed, in: store.open())
        print(text)
        print("stored as run \(stored); `ida trace \(stored) 1.1` prints one node and what is below it")
    }

    func checkOptions() throws {
        if let depth, depth < 0 { throw Problem.negativeDepth(depth) }
        guard (task == nil) != (run == nil), node == nil || run != nil else { throw Problem.taskOrRun }
        if let task { _ = try TaskCatalog.configuration(task: task, preset: preset) }
    }

    /// What the command prints for `seed` (a function of the arguments, for tests).
    func output(seed: UInt64) async throws -> String {
        try await traced(seed: seed).text
    }

    /// The printed trace and the amplification behind it.
    func traced(seed: UInt64, journal: (any WorkspaceJournal)? = nil) async throws -> (
        text: String, result: AmplificationResult
    ) {
        try checkOptions()
        let task = try TaskCatalog.configuration(task: task ?? "", preset: preset).makeTask()
        return try await Self.trace(task: task, seed: seed, depth: depth, questionIndex: question, journal: journal)
    }

    /// The printed trace, its tree stored in `store` as it grows (a new `hch` run), and the run's id.
    func tracedAndStored(seed: UInt64, in store: RunStore) async throws -> (text: String, run: String) {
        try checkOptions()
        let configuration = #"{"depth":\#(depth.map(String.init) ?? "null"),"question":\#(question.map(String.init) ?? "null")}"#
        let (output, run) = try await StoredTree.journaling(
            task: task ?? "", preset: preset, configuration: configuration, seed: seed, in: store
        ) { journal in
            try await self.traced(seed: seed, journal: journal).text
        }
        return (output, run)
    }

    /// The printed trace and its amplification (a function of its arguments, for tests).
    static func trace(
        task: any AmplificationTask, seed: UInt64, depth: Int?, questionIndex: Int?,
        journal: (any WorkspaceJournal)? = nil
    ) async throws -> (text: String, result: AmplificationResult) {
        var rng = SplitMix64(seed: seed)
        let instance = task.makeInstance(size: task.size, using: &rng)
        let oracle = task.oracle(for: instance)
        let depths = instance.questions.map(oracle.depth(of:))
        let index = questionIndex ?? depths.indices.max { depths[$0] < depths[$1] } ?? 0
        guard instance.questions.indices.contains(index) else {
            throw Problem.questionOutOfRange(index, questionCount: instance.questions.count)
        }
        let question = instance.questions[index]
        let n = depth ?? depths[index]
        let hch = HCH(
            task: task, supervisor: ScriptedExpert(task: task), depth: n, configuration: AmplifierConfiguration(tracing: true))
        let contexts = InstanceContext.contexts(for: [instance], task: task)
        let result = try await hch.amplifier.run(
            [AssistantQuery(context: 0, question: question, seed: seed)], contexts: contexts, journal: journal)
        let vocabulary = task.vocabulary
        let truth = oracle.groundTruth(question)
        var lines = ["\(task.name) (size \(instance.size)), seed \(seed): facts"]
        lines += instance.facts.map { "  " + renderTokens($0, vocabulary: vocabulary) }
        lines.append(
            "question \(index): \(renderTokens(question, vocabulary: vocabulary)) (depth \(depths[index])), "
                + "HCH_\(n), ground truth \(renderTokens(truth, vocabulary: vocabulary))")
        lines.append("")
        lines += result.traces?.enumerated().map { $1.rendered(vocabulary: vocabulary, id: WorkspaceID(root: $0 + 1)) } ?? []
        lines.append("")
        let correct = result.answers.first == truth
        lines.append("answer \(renderTokens(result.answers.first ?? [], vocabulary: vocabulary)): \(correct ? "correct" : "wrong")")
        lines.append(result.counters.description)
        return (lines.joined(separator: "\n"), result)
    }

    /// A stored tree, whole or from `node` down, as text.
    static func stored(run id: String, node: String?, store: RunStore) throws -> String {
        let run = try store.run(id: id)
        guard run.kind == .hch else { throw Problem.notATree(run: id, kind: run.kind) }
        let task = try TaskCatalog.configuration(task: run.task, preset: run.preset).makeTask()
        let unknown = Tokens(repeating: 0, count: task.answerLength)
        var lines = ["run \(id): \(run.task) (\(run.preset)), seed \(run.seed), \(run.status.rawValue)", ""]
        if let node {
            guard let nodeID = WorkspaceID(node),
                let tree = try StoredTree.trees(run: id, node: nodeID, unknown: unknown, in: store).first
            else { throw Problem.noSuchNode(run: id, node: node) }
            lines.append(tree.rendered(vocabulary: task.vocabulary, id: nodeID))
        } else {
            let trees = try StoredTree.trees(run: id, unknown: unknown, in: store)
            for (position, tree) in trees.enumerated() {
                lines.append(tree.rendered(vocabulary: task.vocabulary, id: WorkspaceID(root: position + 1)))
            }
        }
        return lines.joined(separator: "\n")
    }
}
