/// What a fuzz test did: inputs tried, accepted, rejected by error kind, and the slowest input.
///
/// `scripts/fuzz` reads the ``summary(reader:duration:)`` line each fuzz test prints.
///
/// ```swift
/// var tally = FuzzTally()
/// tally.reject(error)          // counted under the error's case name, e.g. "truncated"
/// print(tally.summary(reader: "checkpoint", duration: .seconds(2.5)))
/// ```
public struct FuzzTally: Sendable {
    public private(set) var tried = 0
    public private(set) var accepted = 0
    /// Rejections by the case name of the error (its problem, for an error that has one).
    public private(set) var rejected: [String: Int] = [:]

    public init() {}

    public var rejectedCount: Int { rejected.values.reduce(0, +) }

    public mutating func accept() {
        tried += 1
        accepted += 1
    }

    /// Counts a rejection under `kind`.
    public mutating func reject(kind: String) {
        tried += 1
        rejected[kind, default: 0] += 1
    }

    /// Counts a rejection under the case name of `error` (``kind(of:)``).
    public mutating func reject(_ error: Any) {
        reject(kind: Self.kind(of: error))
    }

    /// The case name of an enum value (`checksumMismatch` for `.checksumMismatch(stored: 1, computed: 2)`),
    /// or its type name for anything else.
    public static func kind(of value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .enum else { return "\(type(of: value))" }
        if let label = mirror.children.first?.label { return label }
        return "\(value)"
    }

    /// One line: `fuzz: READER tried N accepted A rejected R (kind n, …) seconds S`.
    public func summary(reader: String, duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        let kinds = rejected.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let rounded = (seconds * 10).rounded() / 10
        return "fuzz: \(reader) tried \(tried) accepted \(accepted) rejected \(rejectedCount) (\(kinds)) seconds \(rounded)"
    }
}

/// How many inputs a fuzz test tries.
public enum FuzzBudget {
    /// The environment variable that overrides the default count (`scripts/fuzz` sets it).
    public static let variable = "IDA_FUZZ_ITERATIONS"

    /// `environment[IDA_FUZZ_ITERATIONS]` when it is a positive integer, else `defaultCount`.
    /// The tests pass their process environment; this module never reads it itself.
    public static func iterations(environment: [String: String], default defaultCount: Int) -> Int {
        guard let text = environment[variable], let count = Int(text), count > 0 else { return defaultCount }
        return count
    }
}

/// The first failures of a fuzz test, each with its input, so a report stays readable when a
/// property fails for many inputs.
public struct FuzzFailures: Sendable {
    /// More than this input's worth of time is taken as a hang: readers do bounded work per input
    /// (about a millisecond), so only a runaway loop or allocation gets near it.
    public static let hangLimit = Duration.seconds(2)
    public private(set) var messages: [String] = []
    public private(set) var count = 0
    public let kept: Int

    public init(kept: Int = 10) {
        self.kept = kept
    }

    /// Notes that `input` broke a property; the input is shown escaped (and cut at 300 bytes).
    public mutating func record(_ what: String, input: [UInt8]) {
        count += 1
        guard messages.count < kept else { return }
        messages.append("\(what) for input \(Self.escaped(input))")
    }

    /// Records a hang when one input took longer than ``hangLimit``.
    public mutating func checkTime(_ duration: Duration, input: [UInt8]) {
        if duration > Self.hangLimit { record("took \(duration) (a hang)", input: input) }
    }

    /// Every kept message and the total, for `#expect(failures.count == 0, failures.report)`.
    public var report: String {
        (["\(count) inputs broke a property; the first:"] + messages).joined(separator: "\n")
    }

    /// `bytes` as a Swift-like literal: printable ASCII as is, everything else as `\xNN`.
    public static func escaped(_ bytes: [UInt8], limit: Int = 300) -> String {
        let shown = bytes.prefix(limit).map { byte -> String in
            (0x20..<0x7F).contains(byte) && byte != UInt8(ascii: "\\") ? String(UnicodeScalar(byte)) : "\\x" + hex(byte)
        }
        return "\"" + shown.joined() + "\"" + (bytes.count > limit ? " … (\(bytes.count) bytes)" : " (\(bytes.count) bytes)")
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
