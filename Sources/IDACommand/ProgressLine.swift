import Application
import Foundation

/// The one place that formats training progress for people: a live line rewritten in place on a
/// terminal, plain lines (one every few seconds and at each evaluation) when the output is a log.
///
/// It holds values only (what each side of the run last reported) and never reads the clock:
/// the caller passes the elapsed seconds. `update` returns the text to write, or nil when
/// nothing should be written yet.
///
/// ```text
/// permutation  IA 1200/3000 48.2 steps/s ETA 0:37 X 71.0% Amp 88.0% size 9 expert 1056 | supervised 1300/3000 52.0 steps/s ETA 0:33 75.0%
/// ```
struct ProgressLine: Sendable {
    /// True on a terminal (isatty): one line rewritten in place.
    var isTerminal: Bool
    /// Seconds between plain lines in a log.
    var plainInterval: Double = 10
    /// Seconds between rewrites of the live line.
    var liveInterval: Double = 0.1
    /// The terminal's width: the live line is cut to fit, since a wrapped line cannot be
    /// rewritten in place. Nil: no limit.
    var width: Int?
    private var lastWrite: Double?

    init(isTerminal: Bool, width: Int? = nil) {
        self.isTerminal = isTerminal
        self.width = width
    }

    /// The text to write for the current state, or nil if it is too soon after the last write.
    ///
    /// - Parameters:
    ///   - force: write now (an evaluation arrived, or a side finished).
    ///   - now: the caller's clock, in seconds since any fixed origin.
    mutating func update(task: String, sides: [SideProgress], now: Double, force: Bool = false) -> String? {
        let interval = isTerminal ? liveInterval : plainInterval
        if !force, let lastWrite, now - lastWrite < interval { return nil }
        lastWrite = now
        let line = Self.format(task: task, sides: sides)
        guard isTerminal else { return line + "\n" }
        if let width, width > 1, line.count >= width { return "\r\u{1B}[2K" + line.prefix(width - 2) + "…" }
        return "\r\u{1B}[2K" + line
    }

    /// What to write once the live line is done, so the next output starts on a fresh line.
    func finish() -> String {
        isTerminal ? "\n" : ""
    }

    /// The line itself, without control characters.
    static func format(task: String, sides: [SideProgress]) -> String {
        task + "  " + sides.map(format).joined(separator: " | ")
    }

    static func format(_ side: SideProgress) -> String {
        var parts = ["\(side.label) \(side.step)/\(side.totalSteps)"]
        if side.finished {
            parts.append("done")
        } else {
            parts.append(side.rate.map { String(format: "%.1f steps/s", $0) } ?? "- steps/s")
            parts.append("ETA " + (side.remainingSeconds.map(clock) ?? "-"))
        }
        if let accuracy = side.accuracy {
            parts.append((side.ampAccuracy == nil ? "" : "X ") + ReportTable.percent(accuracy))
        }
        if let amp = side.ampAccuracy { parts.append("Amp " + ReportTable.percent(amp)) }
        if let size = side.curriculumSize { parts.append("size \(size)") }
        if let calls = side.expertCalls { parts.append("expert \(calls)") }
        return parts.joined(separator: " ")
    }

    /// `97` → `1:37`, `3725` → `1:02:05`.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        let whole = max(0, Int(seconds.rounded()))
        let (hours, minutes, rest) = (whole / 3600, whole / 60 % 60, whole % 60)
        return hours > 0
            ? "\(hours):\(String(format: "%02d", minutes)):\(String(format: "%02d", rest))"
            : "\(minutes):\(String(format: "%02d", rest))"
    }
}
