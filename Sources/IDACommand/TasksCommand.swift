import ArgumentParser
import SeededRandom
import Tasks

/// `ida tasks [name]`: the five tasks, or one described in full.
struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "List the tasks, or describe one: vocabulary, formats, leaves, expert, presets, an example.",
        discussion: "Without a name, prints one line per task. With a name, describes it at --preset."
    )

    @Argument(help: "The task to describe: permutation, assignments, wildcard, shortest-path or union-find.")
    var name: String?

    @Option(help: "The preset the description and the example use: tiny, small or paper.")
    var preset = "small"

    func run() throws {
        print(try render(), terminator: "")
    }

    /// The text the command prints.
    func render() throws -> String {
        guard let name else {
            let width = TaskCatalog.taskNames.map(\.count).max() ?? 0
            return TaskCatalog.taskNames.map { name in
                name.padding(width) + "  " + (TaskCatalog.summary(of: name) ?? "") + "\n"
            }.joined()
        }
        let configuration = try TaskCatalog.configuration(task: name, preset: preset)
        return describe(configuration)
    }

    private func describe(_ configuration: TaskConfiguration) -> String {
        let task = configuration.makeTask()
        let name = configuration.taskName
        var lines = ["\(name): \(TaskCatalog.summary(of: name) ?? "")", ""]
        lines.append("vocabulary (\(task.vocabulary.count) tokens): \(task.vocabulary.joined(separator: " "))")
        lines.append("lengths: fact \(task.factLength), question \(task.questionLength), answer \(task.answerLength); at most \(task.interactionLength) sub-questions per question")
        if let details = TaskDetails.of(name) {
            lines += ["", "formats:"] + details.formats.map { "  " + $0 }
            lines += ["", "leaf questions (answered by one lookup in the facts):"] + details.leaves.map { "  " + $0 }
            lines += ["", "expert:"] + details.decomposition.map { "  " + $0 }
        }
        lines += ["", "presets:"]
        for preset in TaskPreset.allCases {
            guard let presetConfiguration = try? TaskCatalog.configuration(task: name, preset: preset) else { continue }
            lines.append("  " + preset.rawValue.padding(5) + "  " + Self.parameters(presetConfiguration))
        }
        lines += ["", "example (preset \(preset), seed 1, size \(task.minimumSize)):"] + example(task)
        return lines.joined(separator: "\n") + "\n"
    }

    /// An instance at the minimum size: facts, questions with answers and depths, and the
    /// expert's steps on the first question with correct sub-answers.
    private func example(_ task: any AmplificationTask) -> [String] {
        var rng = SplitMix64(seed: 1)
        let instance = task.makeInstance(size: task.minimumSize, using: &rng)
        let oracle = task.oracle(for: instance)
        let shown = 6
        var lines = ["  facts:"] + instance.facts.prefix(shown).map { "    " + task.render($0) }
        if instance.facts.count > shown { lines.append("    … \(instance.facts.count - shown) more") }
        lines.append("  questions → answer (depth):")
        lines += instance.questions.prefix(shown).map { question in
            "    \(task.render(question)) → \(task.render(oracle.groundTruth(question))) (\(oracle.depth(of: question)))"
        }
        if instance.questions.count > shown { lines.append("    … \(instance.questions.count - shown) more") }
        guard let question = instance.questions.first else { return lines }
        lines.append("  the expert on \(task.render(question)), given correct sub-answers:")
        var transcript: [Exchange] = []
        var leafRNG = SplitMix64(seed: 0)
        while transcript.count <= task.interactionLength {
            switch task.expertStep(question: question, transcript: transcript) {
            case .ask(let subQuestion):
                let leaf = oracle.leafAnswer(subQuestion, using: &leafRNG)
                let answer = leaf ?? oracle.groundTruth(subQuestion)
                lines.append("    ask \(task.render(subQuestion)) → \(task.render(answer))\(leaf == nil ? "" : "  (leaf)")")
                transcript.append(Exchange(question: subQuestion, answer: answer))
            case .answer(let answer):
                lines.append("    answer \(task.render(answer))")
                return lines
            }
        }
        return lines
    }

    /// `size 8 (from 4), letterCount 8, …`: the parameters of a configuration, by reflection.
    static func parameters(_ configuration: TaskConfiguration) -> String {
        let parameters: Any
        switch configuration {
        case .permutation(let value): parameters = value
        case .assignments(let value): parameters = value
        case .wildcard(let value): parameters = value
        case .shortestPath(let value): parameters = value
        case .unionFind(let value): parameters = value
        }
        return Mirror(reflecting: parameters).children.compactMap { child in
            child.label.map { "\($0) \(child.value)" }
        }.joined(separator: ", ")
    }
}

extension String {
    /// This string padded with spaces to `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
