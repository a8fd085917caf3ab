import Amplification
import Application
import ArgumentParser
import Foundation
import LanguageModels
import Store

/// `ida ask`: one free-text question answered by a language model as the supervisor, with HCH
/// or the model itself as the assistant.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a question by amplification, with a language model as the supervisor.",
        discussion: """
            The model sees the question as a workspace and replies with one action: `ask \
            SUB-QUESTION` or `answer ANSWER`. The context's facts are hidden from it: it reads them \
            one at a time by asking `fact N`. Other sub-questions are worked the same way down to \
            --max-depth; below that, --assistant llm has the model answer them directly from the \
            facts, and --assistant hch answers them unknown (HCH_n). Prints the answer, the tree \
            (who answered each node), and what the model calls cost. The tree is stored in the \
            database as it grows, and every reply is cached there: the same command again makes \
            no request and prints the same tree.
            """
    )

    @Argument(help: "The question.")
    var question: String?

    @Option(help: ArgumentHelp("A text file of the question's hidden facts, one per line.", valueName: "file"))
    var context: String?

    @OptionGroup var tree: TextTreeOptions

    @Flag(help: "Print the prompt templates (JSON, the form --prompts reads) and exit.")
    var printPrompts = false

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var model: ModelOptions
    @OptionGroup var store: StoreOptions

    enum Problem: Error, CustomStringConvertible {
        case noQuestion

        var description: String {
            switch self {
            case .noQuestion: "give the question: ida ask \"QUESTION\""
            }
        }
    }

    func run() async throws {
        if printPrompts {
            print(try model.templates().json())
            return
        }
        let job = try job()
        try model.check()
        let store = try store.open()
        let domain = TextDomain()
        let meter = UsageMeter(budget: model.budget)
        let (supervisor, assistant) = try await model.agents(domain: domain, meter: meter, store: store)
        let clock = ContinuousClock()
        let began = clock.now
        let (run, result) = try await reportingStops(command: "ask") { started in
            try await job.start(
                in: store, domain: domain, supervisor: supervisor, assistant: assistant, schedule: "ask", started: started)
        }
        let seconds = (clock.now - began).seconds
        let answer = domain.render(result.answers[0])
        if json {
            print(try RunCommand.prettyJSON(AskOutput(
                run: run, answer: answer, usage: meter.usage, supervisorActions: result.counters.supervisorActions,
                leafLookups: result.counters.leafLookups, wallSeconds: seconds)))
        } else {
            print("answer: \(answer)")
            if let tree = result.traces?.first { print(tree.rendered(in: domain)) }
            print("model: \(meter.usage.summary); \(String(format: "%.1f", seconds)) s")
            print("stored as run \(run); `ida trace \(run)` prints the tree again")
        }
    }

    func job() throws -> TextJob {
        guard let question else { throw Problem.noQuestion }
        let facts: [String]
        if let context {
            guard let text = try? String(contentsOfFile: context, encoding: .utf8) else {
                throw CommandError.file(path: context, problem: "cannot read it as UTF-8 text")
            }
            facts = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        } else {
            facts = []
        }
        let job = TextJob(
            questions: [TextFacts(question: question, facts: facts)], depth: tree.maxDepth, assistant: tree.assistant)
        try job.validate(in: TextDomain())
        return job
    }
}

extension TextJob.AssistantKind: ExpressibleByArgument {}

/// Who works the tree of `ida ask` and `ida amplify`, and how deep.
struct TextTreeOptions: ParsableArguments {
    /// Who supervises free-text questions on the command line: the closed choice of
    /// `--supervisor` (a person, in the web app, is the next).
    enum Supervisor: String, ExpressibleByArgument, CaseIterable {
        case llm
    }

    @Option(help: "Who supervises: llm (a language model).")
    var supervisor: Supervisor = .llm

    @Option(help: "Who answers below --max-depth: llm (the model, from the facts) or hch (unknown).")
    var assistant: TextJob.AssistantKind = .hch

    @Option(help: "How deep the supervisor works sub-questions (0: only the questions themselves).")
    var maxDepth = 1
}

struct AskOutput: Encodable {
    var run: String
    var answer: String
    var usage: ModelUsage
    var supervisorActions: Int
    var leafLookups: Int
    var wallSeconds: Double

    enum CodingKeys: String, CodingKey {
        case run, answer, usage
        case supervisorActions = "supervisor_actions"
        case leafLookups = "leaf_lookups"
        case wallSeconds = "wall_seconds"
    }
}
