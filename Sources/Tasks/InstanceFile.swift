#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OutsideInput

/// Instance files: JSON Lines, one `InstanceRecord` per line, tokens as strings
/// (Documentation/InstanceFormat.md).
///
/// ```swift
/// let text = InstanceFile.write(records)
/// let again = try InstanceFile.read(text)   // == records
/// ```
public enum InstanceFile {
    /// One line (without the newline) for `record`; keys sorted, so equal records give equal lines.
    public static func line(for record: InstanceRecord) -> String {
        switch record.configuration {
        case .permutation(let parameters): return encode(record, parameters)
        case .assignments(let parameters): return encode(record, parameters)
        case .wildcard(let parameters): return encode(record, parameters)
        case .shortestPath(let parameters): return encode(record, parameters)
        case .unionFind(let parameters): return encode(record, parameters)
        }
    }

    /// The lines for `records`, each ending in a newline.
    public static func write(_ records: [InstanceRecord]) -> String {
        records.map { line(for: $0) + "\n" }.joined()
    }

    /// Every record of `text`; blank lines are skipped.
    ///
    /// - Throws: `InstanceFileError` for the first malformed line.
    public static func read(_ text: String) throws(InstanceFileError) -> [InstanceRecord] {
        var records: [InstanceRecord] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            records.append(try record(from: String(line), line: index + 1))
        }
        return records
    }

    /// The record on one line, fully validated.
    ///
    /// - Throws: `InstanceFileError` saying what is wrong, with `line` as its line number.
    public static func record(from text: String, line: Int) throws(InstanceFileError) -> InstanceRecord {
        let data = Data(text.utf8)
        guard !JSONNesting.exceeds(nestingLimit, in: data) else {
            throw InstanceFileError(line: line, problem: .invalidJSON(JSONNesting.problem(nestingLimit)))
        }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch {
            throw InstanceFileError(line: line, problem: problem(from: error))
        }
        guard header.format == InstanceFileFormat.name else { throw InstanceFileError(line: line, problem: .wrongFormat(found: header.format)) }
        guard header.version == InstanceFileFormat.version else {
            throw InstanceFileError(line: line, problem: .unsupportedVersion(found: header.version, supported: InstanceFileFormat.version))
        }
        do {
            switch header.task {
            case "permutation": return try decode(data, line: line, as: PermutationPoweringConfiguration.self, TaskConfiguration.permutation)
            case "assignments": return try decode(data, line: line, as: SequentialAssignmentsConfiguration.self, TaskConfiguration.assignments)
            case "wildcard": return try decode(data, line: line, as: WildcardSearchConfiguration.self, TaskConfiguration.wildcard)
            case "shortest-path": return try decode(data, line: line, as: ShortestPathConfiguration.self, TaskConfiguration.shortestPath)
            case "union-find": return try decode(data, line: line, as: UnionFindConfiguration.self, TaskConfiguration.unionFind)
            default: throw InstanceFileError(line: line, problem: .unknownTask(name: header.task, available: TaskCatalog.taskNames))
            }
        } catch let error as InstanceFileError {
            throw error
        } catch {
            throw InstanceFileError(line: line, problem: problem(from: error))
        }
    }

    /// Levels a line may nest; a valid line uses 3 (`facts`, a fact, a token). The check runs
    /// before `JSONDecoder`, which traps on some text nested past its own limit (see
    /// `JSONNesting`).
    static let nestingLimit = 32

    /// The fields every line starts with.
    private struct Header: Decodable {
        var format: String
        var version: Int
        var task: String
    }

    /// A whole line, with the task's parameters.
    private struct Line<Parameters: Codable>: Codable {
        var format: String
        var version: Int
        var task: String
        var parameters: Parameters
        var size: Int
        var facts: [[String]]
        var questions: [[String]]
        var answers: [[String]]?
        var depths: [Int]?
    }

    private static func encode<Parameters: Codable>(_ record: InstanceRecord, _ parameters: Parameters) -> String {
        let task = record.configuration.makeTask()
        let line = Line(
            format: InstanceFileFormat.name, version: InstanceFileFormat.version, task: task.name, parameters: parameters,
            size: record.instance.size, facts: record.instance.facts.map(task.decode), questions: record.instance.questions.map(task.decode),
            answers: record.answers?.map(task.decode), depths: record.depths)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // NB: encoding plain strings, integers and arrays cannot fail.
        guard let data = try? encoder.encode(line) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func decode<Parameters: Codable>(
        _ data: Data, line: Int, as type: Parameters.Type, _ wrap: (Parameters) -> TaskConfiguration
    ) throws -> InstanceRecord {
        let raw = try JSONDecoder().decode(Line<Parameters>.self, from: data)
        return try InstanceValidator(line: line).validate(
            configuration: wrap(raw.parameters), size: raw.size, facts: raw.facts, questions: raw.questions,
            answers: raw.answers, depths: raw.depths)
    }

    /// A one-line problem for a decoding error.
    private static func problem(from error: any Error) -> InstanceFileError.Problem {
        guard let error = error as? DecodingError else { return .invalidJSON("\(error)") }
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .keyNotFound(let key, let context): return .missingField(path(context, key))
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return context.codingPath.isEmpty ? .invalidJSON(context.debugDescription) : .wrongType(field: path(context))
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? .invalidJSON("the line is not valid JSON") : .wrongType(field: path(context))
        @unknown default: return .invalidJSON("\(error)")
        }
    }
}
