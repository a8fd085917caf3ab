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

    @OptionGroup var model: ModelOptions
    @OptionGroup var store: StoreOptions

    enum Problem: Error, CustomStringConvertible {
        case questionsOrResume

        var description: String {
            switch self {
            case .questionsOrResume: "give --questions FILE for a new run, or --resume RUN to go on with one, not both"
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
        let (supervisor, assistant) = try await model.agents(domain: domain, meter: meter, store: store)
        let clock = ContinuousClock()
        let began = clock.now
        let progress = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(2))
                let line = "ida amplify: \(meter.usage.summary)\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        defer { progress.cancel() }
        let (run, answered, result) = try await reportingStops(command: "amplify", run: resume) { started in
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
