import OutsideInput

/// A malformed line of an instance file: which line, and what is wrong with it.
public struct InstanceFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 1-based line number.
    public var line: Int
    public var problem: Problem

    public enum Problem: Hashable, Sendable {
        case invalidJSON(String)
        case missingField(String)
        case wrongType(field: String)
        case wrongFormat(found: String)
        case unsupportedVersion(found: Int, supported: Int)
        case unknownTask(name: String, available: [String])
        case invalidParameters(String)
        case invalidSize(found: Int, allowed: ClosedRange<Int>)
        case empty(field: String)
        case unknownToken(field: String, index: Int, token: String)
        case wrongLength(field: String, index: Int, found: Int, expected: Int)
        case countMismatch(field: String, found: Int, expected: Int)
        case negativeDepth(index: Int, found: Int)
    }

    public init(line: Int, problem: Problem) {
        self.line = line
        self.problem = problem
    }

    public var description: String {
        "line \(line): \(problemDescription)"
    }

    private var problemDescription: String {
        switch problem {
        case .invalidJSON(let detail): return "not a JSON object (\(ErrorText.printable(detail)))"
        case .missingField(let field): return "missing field \"\(ErrorText.printable(field))\""
        case .wrongType(let field): return "field \"\(ErrorText.printable(field))\" has the wrong type"
        case .wrongFormat(let found): return "format is \"\(ErrorText.printable(found))\", expected \"\(InstanceFileFormat.name)\""
        case let .unsupportedVersion(found, supported):
            return "version \(found) is not supported (this ida reads version \(supported)); upgrade ida or re-sample the file"
        case let .unknownTask(name, available): return "unknown task \"\(ErrorText.printable(name))\"; available tasks: \(available.joined(separator: ", "))"
        case .invalidParameters(let detail): return "invalid parameters: \(detail)"
        case let .invalidSize(found, allowed): return "size \(found) outside \(allowed.lowerBound)...\(allowed.upperBound)"
        case .empty(let field): return "\(field) is empty"
        case let .unknownToken(field, index, token): return "\(field)[\(index)] holds unknown token \"\(ErrorText.printable(token))\""
        case let .wrongLength(field, index, found, expected): return "\(field)[\(index)] has \(found) tokens, expected \(expected)"
        case let .countMismatch(field, found, expected): return "\(field) has \(found) entries, expected \(expected) (one per question)"
        case let .negativeDepth(index, found): return "depths[\(index)] is \(found), expected 0 or more"
        }
    }
}

/// The name and version of the instance file format (Documentation/InstanceFormat.md).
public enum InstanceFileFormat {
    public static let name = "ida-instances"
    public static let version = 1
}
