import Amplification
import Distillation
import Foundation
import NeuralNetworks
import Tasks

/// What `ida eval` found: every answer, and the scores when the file gave answers.
public struct InstanceEvaluation: Codable, Equatable, Sendable {
    public struct Answer: Codable, Equatable, Sendable {
        /// The 1-based line of the instance file.
        public var line: Int
        public var question: [String]
        public var answer: [String]
        /// The file's answer, when it has one.
        public var expected: [String]?
        public var correct: Bool?
        /// The question's depth: the file's, or the task's own when the file has none.
        public var depth: Int

        public init(line: Int, question: [String], answer: [String], expected: [String]?, correct: Bool?, depth: Int) {
            self.line = line
            self.question = question
            self.answer = answer
            self.expected = expected
            self.correct = correct
            self.depth = depth
        }
    }

    public var model: String?
    public var file: String?
    public var decoding: String
    public var amplified: Bool
    public var answers: [Answer] = []
    /// Over the questions with a given answer; nil when none has one.
    public var accuracy: Double?
    public var accuracyByDepth: [String: Double]?
    public var scored = 0
    public var correct = 0

    enum CodingKeys: String, CodingKey {
        case model, file, decoding, amplified, answers, accuracy, scored, correct
        case accuracyByDepth = "accuracy_by_depth"
    }

    public init(decoding: String, amplified: Bool) {
        self.decoding = decoding
        self.amplified = amplified
    }

    /// Fills in the scores from the answers.
    public mutating func score() {
        let judged = answers.filter { $0.correct != nil }
        scored = judged.count
        correct = judged.filter { $0.correct == true }.count
        guard scored > 0 else { return }
        accuracy = Double(correct) / Double(scored)
        accuracyByDepth = Dictionary(grouping: judged, by: \.depth).reduce(into: [:]) { result, entry in
            result[String(entry.key)] = Double(entry.value.filter { $0.correct == true }.count) / Double(entry.value.count)
        }
    }

    public func withModel(_ model: String, file: String) -> InstanceEvaluation {
        var copy = self
        copy.model = model
        copy.file = file
        return copy
    }
}

extension InstanceEvaluation {
    /// Answers every question of `records` (all of one task) and scores the given answers.
    ///
    /// - Throws: `ApplicationError.incompatibleCheckpoint` when the model does not fit the task.
    public static func evaluate(
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
