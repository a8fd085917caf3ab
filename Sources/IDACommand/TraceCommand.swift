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

    /// The job this command runs for `seed`: HCH_n on one question of one instance (by default
    /// its deepest, with n its depth).
    func job(seed: UInt64) throws -> AmplificationJob {
        try checkOptions()
        let drawn = try AmplificationJob(task: task ?? "", preset: preset, seed: seed, instances: 1, depth: 0).setting()
        let instance = drawn.instances[0]
        let oracle = drawn.task.oracle(for: instance)
        let depths = instance.questions.map(oracle.depth(of:))
        let index = question ?? depths.indices.max { depths[$0] < depths[$1] } ?? 0
        guard instance.questions.indices.contains(index) else {
            throw Problem.questionOutOfRange(index, questionCount: instance.questions.count)
        }
        return AmplificationJob(
            task: task ?? "", preset: preset, seed: seed, instances: 1, depth: depth ?? depths[index], question: index)
    }

    /// The printed trace and the amplification behind it.
    func traced(seed: UInt64) async throws -> (text: String, result: AmplificationResult) {
        let job = try job(seed: seed)
        let setting = try job.setting()
        let result = try await job.amplifier(task: setting.task, supervisor: ScriptedExpert(task: setting.task), tracing: true)
            .run(setting.queries, contexts: setting.contexts)
        return (Self.text(of: job, setting: setting, result: result), result)
    }

    /// The printed trace, its tree stored in `store` as it grows (a new `hch` run), and the run's id.
    func tracedAndStored(seed: UInt64, in store: any RunStore) async throws -> (text: String, run: String) {
        let job = try job(seed: seed)
        let expert = ScriptedExpert(task: try TaskCatalog.task(named: job.task, preset: job.preset))
        let (run, setting, result) = try await job.start(in: store, supervisor: expert)
        return (Self.text(of: job, setting: setting, result: result), run)
    }

    /// The facts, the question, its tree and the answer, as printed.
    static func text(of job: AmplificationJob, setting: AmplificationJob.Setting, result: AmplificationResult) -> String {
        let task = setting.task
        let instance = setting.instances[0]
        let oracle = task.oracle(for: instance)
        let domain = TaskDomain(task)
        let question = setting.queries[0].question.tokens
        let vocabulary = task.vocabulary
        let truth = oracle.groundTruth(question)
        var lines = ["\(task.name) (size \(instance.size)), seed \(job.seed): facts"]
        lines += instance.facts.map { "  " + renderTokens($0, vocabulary: vocabulary) }
        lines.append(
            "question \(job.question ?? 0): \(renderTokens(question, vocabulary: vocabulary)) "
                + "(depth \(oracle.depth(of: question))), HCH_\(job.depth), ground truth \(renderTokens(truth, vocabulary: vocabulary))")
        lines.append("")
        lines += result.traces?.enumerated().map { $1.rendered(in: domain, id: WorkspaceID(root: $0 + 1)) } ?? []
        lines.append("")
        let answer = result.answers.first ?? domain.unknownAnswer
        lines.append("answer \(domain.render(answer)): \(answer == .tokens(truth) ? "correct" : "wrong")")
        lines.append(result.counters.description)
        return lines.joined(separator: "\n")
    }

    /// A stored tree, whole or from `node` down, as text.
    static func stored(run id: String, node: String?, store: any RunStore) throws -> String {
        let run = try store.run(id: id)
        guard run.kind == .hch else { throw Problem.notATree(run: id, kind: run.kind) }
        let domain = try StoredTree.domain(of: run)
        let unknown = domain.unknownAnswer
        let about = domain is TextDomain ? "text questions (\(run.schedule))" : "\(run.task) (\(run.preset))"
        var lines = ["run \(id): \(about), seed \(run.seed), \(run.status.rawValue)", ""]
        if let node {
            guard let nodeID = WorkspaceID(node),
                let tree = try StoredTree.trees(run: id, node: nodeID, unknown: unknown, in: store).first
            else { throw Problem.noSuchNode(run: id, node: node) }
            lines.append(tree.rendered(in: domain, id: nodeID))
        } else {
            let trees = try StoredTree.trees(run: id, unknown: unknown, in: store)
            for (position, tree) in trees.enumerated() {
                lines.append(tree.rendered(in: domain, id: WorkspaceID(root: position + 1)))
            }
        }
        return lines.joined(separator: "\n")
    }
}
