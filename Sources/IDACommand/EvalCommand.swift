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
        let evaluation = try await Self.evaluate(
            records, model: source.model, trainedOn: source.taskName, mode: DecodingMode(rawValue: decoding) ?? .greedy,
            amplified: amplified, seed: seed)
        if json {
            print(try RunCommand.prettyJSON(evaluation.withModel(source.description, file: instances)))
        } else {
            print(evaluation.text(model: source.description, file: instances), terminator: "")
        }
    }

    /// Answers every question of `records` (all of one task) and scores the given answers.
    ///
    /// - Throws: `ApplicationError.incompatibleCheckpoint` when the model does not fit the task.
    static func evaluate(
        _ records: [InstanceRecord], model: Answerer, trainedOn: String?, mode: DecodingMode, amplified: Bool, seed: UInt64
    ) async throws -> InstanceEvaluation {
        var result = InstanceEvaluation(decoding: mode.rawValue, amplified: amplified)
        for (line, record) in records.enumerated() {
            let task = record.configuration.makeTask()
            if let trainedOn, trainedOn != task.name {
                throw ApplicationError.incompatibleCheckpoint("the model was trained on \(trainedOn), the instances are \(task.name)")
            }
            guard model.dimensions == Distiller.dimensions(of: task) else {
                throw ApplicationError.incompatibleCheckpoint(
                    "the model's vocabulary and lengths \(model.dimensions) do not fit \(task.name) instances "
                        + "of these parameters \(Distiller.dimensions(of: task)); use a model trained with the same preset")
            }
            let contexts = InstanceContext.contexts(for: [record.instance], task: task)
            let queries = AssistantQuery.mainQuestions(of: [record.instance], seed: seed &+ UInt64(line))
            let assistant = NeuralAssistant(model: model, mode: mode)
            let answers: [Tokens]
            if amplified {
                let amplifier = Amplifier(
                    task: task, supervisor: ScriptedExpert(task: task), assistant: assistant,
                    configuration: AmplifierConfiguration(groundTruth: .forbidden))
                answers = try await amplifier.run(queries, contexts: contexts).answers.map(\.tokens)
            } else {
                answers = assistant.answers(to: queries, contexts: contexts)
            }
            let oracle = task.oracle(for: record.instance)
            for (index, question) in record.instance.questions.enumerated() {
                let expected = record.answers?[index]
                result.answers.append(
                    InstanceEvaluation.Answer(
                        line: line + 1, question: task.decode(question), answer: task.decode(answers[index]),
                        expected: expected.map(task.decode), correct: expected.map { $0 == answers[index] },
                        depth: record.depths?[index] ?? oracle.depth(of: question)))
            }
        }
        result.score()
        return result
    }
}
