import Amplification
import Application
import ArgumentParser
import Distillation
import Foundation
import NeuralNetworks
import Tasks

/// `ida eval`: answers the questions of a user's instance file with a trained model, and scores
/// the answers when the file has them.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Answer an instance file's questions with a trained model; score them when answers are given.",
        discussion: """
            --checkpoint is a run id (its newest checkpoint; for a group run, its IA run of the \
            file's task) or the path of an answerer checkpoint file \
            (Documentation/CheckpointFormat.md). The instance file is JSON Lines \
            (Documentation/InstanceFormat.md, e.g. written by `ida sample`); every line must be \
            of the model's task. X answers each question directly; with --amplified, Amp(H, X) \
            answers instead (the scripted expert consulting X, with leaf lookups).
            """
    )

    @Option(help: ArgumentHelp("A run id or an answerer checkpoint file.", valueName: "run-or-file"))
    var checkpoint: String

    @Option(help: ArgumentHelp("The instance file (JSON Lines).", valueName: "file"))
    var instances: String

    @Option(help: ArgumentHelp("greedy (argmax, the default) or sampled decoding.", valueName: "mode"))
    var decoding = "greedy"

    @Flag(help: "Answer with Amp(H, X) instead of X alone.")
    var amplified = false

    @Option(help: "The seed of sampled decoding and random leaf lookups.")
    var seed: UInt64 = 1

    @Flag(help: "Print the answers and scores as JSON.")
    var json = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard DecodingMode(rawValue: decoding) != nil else {
            throw ValidationError("unknown decoding \"\(decoding)\"; use greedy or sampled")
        }
    }

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: instances) else {
            throw CommandError.file(path: instances, problem: "cannot be read (check the path)")
        }
        let records: [InstanceRecord]
        do {
            records = try InstanceFile.read(String(decoding: data, as: UTF8.self))
        } catch {
            throw CommandError.file(path: instances, problem: "\(error)")
        }
        guard let first = records.first else { throw CommandError.file(path: instances, problem: "holds no instances") }
        let taskName = first.configuration.taskName
        if let other = records.first(where: { $0.configuration.taskName != taskName }) {
            throw CommandError.file(
                path: instances, problem: "mixes tasks \(taskName) and \(other.configuration.taskName); evaluate one task per file")
        }
        let source = try CheckpointSource.resolve(checkpoint, taskName: taskName, store: store.openExisting)
        let evaluation = try await InstanceEvaluation.evaluate(
            records, model: source.model, trainedOn: source.taskName, mode: DecodingMode(rawValue: decoding) ?? .greedy,
            amplified: amplified, seed: seed)
        if json {
            print(try RunCommand.prettyJSON(evaluation.withModel(source.description, file: instances)))
        } else {
            print(evaluation.text(model: source.description, file: instances), terminator: "")
        }
    }
}

extension InstanceEvaluation {
    /// One line per question, then the scores.
    func text(model: String, file: String) -> String {
        var lines = [
            "\(file): \(answers.count) questions, answered by \(amplified ? "Amp(H, X)" : "X") (\(decoding) decoding) of \(model)"
        ]
        for answer in answers {
            var line = "line \(answer.line), depth \(answer.depth): \(answer.question.joined(separator: " ")) -> \(answer.answer.joined(separator: " "))"
            if let expected = answer.expected {
                line += answer.correct == true ? "  (correct)" : "  (expected \(expected.joined(separator: " ")))"
            }
            lines.append(line)
        }
        if let accuracy {
            let depths = (accuracyByDepth ?? [:]).keys.compactMap(Int.init).sorted().map { depth in
                "depth \(depth) \(ReportTable.percent(accuracyByDepth?[String(depth)] ?? 0))"
            }
            lines.append(
                "accuracy \(ReportTable.percent(accuracy)) (\(correct)/\(scored))"
                    + (depths.isEmpty ? "" : "; " + depths.joined(separator: ", ")))
        } else {
            lines.append("no answers in the file: nothing to score")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
