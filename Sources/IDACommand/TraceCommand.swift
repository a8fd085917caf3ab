import Amplification
import ArgumentParser
import SeededRandom
import Tasks

/// `ida trace`: the amplification tree of one question, answered by HCH with the scripted expert.
struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Print the amplification tree of one question (HCH with the scripted expert).",
        discussion: """
            Samples one instance, picks a question (by default its deepest), and answers it with \
            HCH_n (by default n = the question's depth, enough to answer it correctly). Prints \
            the facts, then one line per node: the question and its answer in the task's tokens, \
            and who answered (the expert with its action count and subtree cost, a leaf lookup, \
            a loop or an exhausted budget), children indented under their parent.
            """
    )

    @OptionGroup var taskOptions: TaskOptions

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

        var description: String {
            switch self {
            case .negativeDepth(let depth): "--depth must be at least 0, got \(depth)"
            case let .questionOutOfRange(index, questionCount):
                "--question \(index) is outside the instance's questions; choose 0...\(questionCount - 1)"
            }
        }
    }

    func run() async throws {
        try checkOptions()
        let seed = self.seed ?? chosenSeed(command: "trace")
        print(try await output(seed: seed))
    }

    func checkOptions() throws {
        if let depth, depth < 0 { throw Problem.negativeDepth(depth) }
        _ = try taskOptions.configuration()
    }

    /// What the command prints for `seed` (a function of the arguments, for tests).
    func output(seed: UInt64) async throws -> String {
        try checkOptions()
        let task = try taskOptions.configuration().makeTask()
        return try await Self.trace(task: task, seed: seed, depth: depth, questionIndex: question)
    }

    /// The printed trace (a function of its arguments, for tests).
    static func trace(task: any AmplificationTask, seed: UInt64, depth: Int?, questionIndex: Int?) async throws -> String {
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
            [AssistantQuery(context: 0, question: question, seed: seed)], contexts: contexts)
        let vocabulary = task.vocabulary
        let truth = oracle.groundTruth(question)
        var lines = ["\(task.name) (size \(instance.size)), seed \(seed): facts"]
        lines += instance.facts.map { "  " + renderTokens($0, vocabulary: vocabulary) }
        lines.append(
            "question \(index): \(renderTokens(question, vocabulary: vocabulary)) (depth \(depths[index])), "
                + "HCH_\(n), ground truth \(renderTokens(truth, vocabulary: vocabulary))")
        lines.append("")
        lines += result.traces?.map { $0.rendered(vocabulary: vocabulary) } ?? []
        lines.append("")
        let correct = result.answers.first == truth
        lines.append("answer \(renderTokens(result.answers.first ?? [], vocabulary: vocabulary)): \(correct ? "correct" : "wrong")")
        lines.append(result.counters.description)
        return lines.joined(separator: "\n")
    }
}
