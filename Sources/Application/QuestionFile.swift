import Amplification
import Foundation

/// A file of free-text questions for `ida amplify --questions`: JSON Lines, one question per
/// line, blank lines ignored.
///
/// ```json
/// {"question": "When is the meeting?", "facts": ["The meeting is the day after the launch.", "The launch is on Monday."], "answer": "Tuesday"}
/// {"version": 1, "question": "What is 2 + 2?"}
/// ```
///
/// `question` is required; `facts` (the hidden facts, looked up as `fact N`) and `answer` (the
/// reference answer, for scoring) are optional; `version` is the format's version, 1 (the only
/// one so far) when absent. Any other key is an error, so that a misspelt one is not silently
/// ignored. Errors name the line (from 1).
public enum QuestionFile {
    /// The version this ida reads.
    public static let version = 1

    /// The questions in `text`.
    ///
    /// - Throws: ``QuestionFileError``.
    public static func parse(_ text: String) throws -> [TextFacts] {
        var questions: [TextFacts] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            questions.append(try question(in: trimmed, line: index + 1))
        }
        guard !questions.isEmpty else { throw QuestionFileError.empty }
        return questions
    }

    /// The questions in the file at `path`.
    ///
    /// - Throws: ``QuestionFileError``.
    public static func read(path: String) throws -> [TextFacts] {
        guard let data = FileManager.default.contents(atPath: path) else { throw QuestionFileError.unreadable(path: path) }
        guard let text = String(data: data, encoding: .utf8) else { throw QuestionFileError.notUTF8(path: path) }
        return try parse(text)
    }

    private static func question(in line: String, line number: Int) throws -> TextFacts {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw QuestionFileError.line(number, "not a JSON object")
        }
        let known: Set<String> = ["version", "question", "facts", "answer"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw QuestionFileError.line(number, "unknown key \"\(unknown)\" (the keys are question, facts, answer, version)")
        }
        if let version = object["version"] {
            guard let version = version as? Int, version >= 1 else {
                throw QuestionFileError.line(number, "version must be a positive whole number")
            }
            guard version <= Self.version else {
                throw QuestionFileError.line(number, "version \(version) is newer than this ida reads (\(Self.version))")
            }
        }
        guard let question = object["question"] as? String else {
            throw QuestionFileError.line(number, "\"question\" must be given, as a string")
        }
        guard !question.allSatisfy(\.isWhitespace) else { throw QuestionFileError.line(number, "the question is empty") }
        var facts: [String] = []
        if let value = object["facts"] {
            guard let list = value as? [Any], let strings = list as? [String] else {
                throw QuestionFileError.line(number, "\"facts\" must be a list of strings")
            }
            facts = strings
        }
        var answer: String?
        if let value = object["answer"] {
            guard let text = value as? String else { throw QuestionFileError.line(number, "\"answer\" must be a string") }
            answer = text
        }
        return TextFacts(question: question, facts: facts, referenceAnswer: answer)
    }
}

/// Why a question file cannot be read, in one line naming the line.
public enum QuestionFileError: Error, Hashable, Sendable, CustomStringConvertible {
    case unreadable(path: String)
    case notUTF8(path: String)
    case empty
    case line(Int, String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read the question file \(path)"
        case .notUTF8(let path): "the question file \(path) is not UTF-8 text"
        case .empty: "the question file has no question"
        case .line(let number, let problem): "line \(number): \(problem)"
        }
    }
}

/// Whether `answer` matches `reference`, as free text is scored: equal after trimming blanks and
/// a final full stop, ignoring case.
public func textAnswersMatch(_ answer: String, _ reference: String) -> Bool {
    func normal(_ text: String) -> String {
        var trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasSuffix(".") { trimmed.removeLast() }
        return trimmed.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
    return normal(answer) == normal(reference)
}
