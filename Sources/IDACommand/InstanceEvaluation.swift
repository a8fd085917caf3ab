import Foundation

/// What `ida eval` found: every answer, and the scores when the file gave answers.
struct InstanceEvaluation: Codable, Equatable {
    struct Answer: Codable, Equatable {
        /// The 1-based line of the instance file.
        var line: Int
        var question: [String]
        var answer: [String]
        /// The file's answer, when it has one.
        var expected: [String]?
        var correct: Bool?
        /// The question's depth: the file's, or the task's own when the file has none.
        var depth: Int
    }

    var model: String?
    var file: String?
    var decoding: String
    var amplified: Bool
    var answers: [Answer] = []
    /// Over the questions with a given answer; nil when none has one.
    var accuracy: Double?
    var accuracyByDepth: [String: Double]?
    var scored = 0
    var correct = 0

    enum CodingKeys: String, CodingKey {
        case model, file, decoding, amplified, answers, accuracy, scored, correct
        case accuracyByDepth = "accuracy_by_depth"
    }

    init(decoding: String, amplified: Bool) {
        self.decoding = decoding
        self.amplified = amplified
    }

    /// Fills in the scores from the answers.
    mutating func score() {
        let judged = answers.filter { $0.correct != nil }
        scored = judged.count
        correct = judged.filter { $0.correct == true }.count
        guard scored > 0 else { return }
        accuracy = Double(correct) / Double(scored)
        accuracyByDepth = Dictionary(grouping: judged, by: \.depth).reduce(into: [:]) { result, entry in
            result[String(entry.key)] = Double(entry.value.filter { $0.correct == true }.count) / Double(entry.value.count)
        }
    }

    func withModel(_ model: String, file: String) -> InstanceEvaluation {
        var copy = self
        copy.model = model
        copy.file = file
        return copy
    }

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
