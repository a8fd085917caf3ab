import Amplification
import Application
import ArgumentParser
import Foundation
import LanguageModels
import Store

/// `ida amplify --questions FILE`: a file of free-text questions answered by amplification with a
/// language model as the supervisor, scored where the file gives answers.
struct AmplifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amplify",
        abstract: "Answer a file of questions by amplification, with a language model as the supervisor.",
        discussion: """
            The question file is JSON Lines, one question per line: {"question": …, "facts": […], \
            "answer": …}, facts and answer optional (Documentation/LanguageModels.md). Every \
            question is worked as `ida ask` works one, all in one tree stored in the database as \
            it grows, with every reply cached there. Prints each question's answer (✓ or ✗ where \
            the file gives one: equal ignoring case, blanks and a final full stop), the accuracy, \
            and what the model calls cost; progress on stderr. A run stopped by a spent budget \
            (--requests, --tokens), an error or a killed process goes on with --resume RUN: \
            nothing answered is redone, and nothing asked before is paid for again.
            """
    )

    @Option(help: ArgumentHelp("The question file (JSON Lines).", valueName: "file"))
    var questions: String?

    @Option(help: ArgumentHelp(
        "Go on with this stopped run of ida amplify or ida ask (a spent budget, a failure, a killed process) instead; give the model options it ran with, so that its cached replies serve again.",
        valueName: "run"))
    var resume: String?

    @OptionGroup var tree: TextTreeOptions

    @Option(help: "The seed of the questions' random streams.")
    var seed: UInt64 = 0

    @Flag(help: "Print JSON instead of text.")
    var json = false

    /// Where the model's requests are sent from.
    enum ModelCalls: String, ExpressibleByArgument, CaseIterable {
        /// This process calls the endpoint.
        case here
        /// Each request is a work item of the run, sent by `ida worker`s serving the model.
        case workers
    }

    @Option(help: ArgumentHelp(
        "Where the model is called: here (this process calls --url) or workers (each request is a work item of the run, sent by `ida worker --supervisor llm` processes serving the same --model; needs a PostgreSQL --db).",
        valueName: "place"))
    var modelCalls: ModelCalls = .here

    @OptionGroup var model: ModelOptions
    @OptionGroup var store: StoreOptions

    enum Problem: Error, CustomStringConvertible {
        case questionsOrResume
        case workersNeedPostgres

        var description: String {
            switch self {
            case .questionsOrResume: "give --questions FILE for a new run, or --resume RUN to go on with one, not both"
            case .workersNeedPostgres: "--model-calls workers needs a PostgreSQL database that the workers reach: pass --db postgres://…"
            }
        }
    }

    func run() async throws {
        guard (questions == nil) != (resume == nil) else { throw Problem.questionsOrResume }
        let job = try questions.map {
            TextJob(questions: try QuestionFile.read(path: $0), depth: tree.maxDepth, assistant: tree.assistant, seed: seed)
        }
        try job?.validate(in: TextDomain())
        try model.check()
        let store = try store.open()
        let domain = TextDomain()
        let meter = UsageMeter(budget: model.budget)
        let shared: SharedModelCalls?
        let chat: any ChatModel
        switch modelCalls {
        case .here:
            shared = nil
            chat = try await model.chatModel(meter: meter, store: store)
        case .workers:
            guard let queue = store as? any RunStore & WorkQueue else { throw Problem.workersNeedPostgres }
            let name = try model.modelName()
            let calls = SharedModelCalls(store: queue, model: name) { calls, seconds in
                let line = "ida amplify: \(calls) model calls wait for a worker, the oldest for \(Int(seconds)) s (is an `ida worker --supervisor llm --model \(name)` running?)\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
            shared = calls
            chat = model.cached(calls, meter: meter, store: store)
        }
        let (supervisor, assistant) = ModelOptions.agents(
            domain: domain, chat: chat, meter: meter, templates: try model.templates(), settings: model.settings)
        let clock = ContinuousClock()
        let began = clock.now
        let progress = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(2))
                var queued = ""
                if let shared { queued = "; \(await shared.waitingCalls()) calls with the workers" }
                let line = "ida amplify: \(meter.usage.summary)\(queued)\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        defer { progress.cancel() }
        if let resume { shared?.begin(run: resume) }
        let (run, answered, result) = try await reportingStops(command: "amplify", run: resume) { reported in
            let started: @Sendable (String) -> Void = { run in
                shared?.begin(run: run)
                reported(run)
            }
            if let job {
                let (run, result) = try await job.start(
                    in: store, domain: domain, supervisor: supervisor, assistant: assistant, schedule: "amplify",
                    started: started)
                return (run, job, result)
            }
            let (resumed, result) = try await TextJob.resume(
                resume!, in: store, domain: domain, supervisor: supervisor, assistant: assistant)
            return (resume!, resumed, result)
        }
        progress.cancel()
        let report = AmplifyReport(
            run: run, questions: answered.questions, answers: result.answers.map(domain.render), usage: meter.usage,
            counters: result.counters, wallSeconds: (clock.now - began).seconds)
        print(json ? try RunCommand.prettyJSON(report) : report.text)
    }
}

/// What `ida amplify` reports: each question's answer, the accuracy where answers are known,
/// and the cost.
struct AmplifyReport: Encodable {
    struct Answer: Encodable {
        var question: String
        var answer: String
        var reference: String?
        var correct: Bool?
    }

    var run: String
    var answers: [Answer]
    var scored: Int
    var correct: Int
    var usage: ModelUsage
    var counters: AmplificationCounters
    var wallSeconds: Double

    init(
        run: String, questions: [TextFacts], answers: [String], usage: ModelUsage, counters: AmplificationCounters,
        wallSeconds: Double
    ) {
        self.run = run
        self.answers = zip(questions, answers).map { question, answer in
            Answer(
                question: question.question, answer: answer, reference: question.referenceAnswer,
                correct: question.referenceAnswer.map { textAnswersMatch(answer, $0) })
        }
        scored = self.answers.count { $0.correct != nil }
        correct = self.answers.count { $0.correct == true }
        self.usage = usage
        self.counters = counters
        self.wallSeconds = wallSeconds
    }

    enum CodingKeys: String, CodingKey {
        case run, answers, scored, correct, usage, counters
        case wallSeconds = "wall_seconds"
    }

    var text: String {
        var lines = answers.enumerated().map { index, answer in
            let mark = answer.correct.map { $0 ? "✓" : "✗ (expected \(answer.reference!))" } ?? ""
            return "\(index + 1). \(answer.question) → \(answer.answer) \(mark)"
        }
        if scored > 0 {
            lines.append(
                "accuracy: \(correct)/\(scored) = \(String(format: "%.1f", 100 * Double(correct) / Double(scored))) %")
        }
        lines.append(
            "supervisor actions \(counters.supervisorActions), fact lookups \(counters.leafLookups); model: \(usage.summary); "
                + String(format: "%.1f s", wallSeconds))
        lines.append("stored as run \(run); `ida trace \(run)` prints the tree")
        return lines.joined(separator: "\n")
    }
}
