import ArgumentParser
import Foundation
import Tasks

/// `ida validate FILE`: checks an instance file line by line, and its answers and depths against
/// the ground truth.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check an instance file (JSON Lines) and compare its answers and depths with the ground truth.",
        discussion: "A malformed line is an error (its line number and what is wrong); disagreeing answers are counted."
    )

    @Argument(help: "The instance file, as written by `ida sample`.")
    var file: String

    /// The file cannot be read at all.
    struct Unreadable: Error, CustomStringConvertible {
        var path: String
        var description: String { "cannot read \(path); check the path" }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw Unreadable(path: file) }
        print(try Self.report(String(decoding: data, as: UTF8.self), name: file), terminator: "")
    }

    /// The summary for the file's text: instances and questions per task, and how many given
    /// answers and depths differ from the ground truth.
    ///
    /// - Throws: `InstanceFileError` for the first malformed line.
    static func report(_ text: String, name: String) throws -> String {
        let records = try InstanceFile.read(text)
        var lines = ["\(name): \(records.count) instances, all lines well-formed"]
        for taskName in TaskCatalog.taskNames {
            let ofTask = records.filter { $0.configuration.taskName == taskName }
            guard !ofTask.isEmpty else { continue }
            var questions = 0
            var answered = 0
            var wrongAnswers = 0
            var withDepth = 0
            var wrongDepths = 0
            for record in ofTask {
                let oracle = record.configuration.makeTask().oracle(for: record.instance)
                questions += record.instance.questions.count
                for (index, question) in record.instance.questions.enumerated() {
                    if let answer = record.answers?[index] {
                        answered += 1
                        if answer != oracle.groundTruth(question) { wrongAnswers += 1 }
                    }
                    if let depth = record.depths?[index] {
                        withDepth += 1
                        if depth != oracle.depth(of: question) { wrongDepths += 1 }
                    }
                }
            }
            lines.append("  \(taskName): \(ofTask.count) instances, \(questions) questions; "
                + "answers given \(answered), differing from the ground truth \(wrongAnswers); "
                + "depths given \(withDepth), differing \(wrongDepths)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
