import Application
import Distillation
import Foundation

/// Collects both trainings' events and writes the progress line to standard error (the report
/// goes to standard output, so `--json` output stays clean).
///
/// An actor: the IA and supervised trainings report from their own tasks.
actor ProgressBoard: TrainingProgress {
    private var line: ProgressLine
    private var task = ""
    private var sides: [String: SideProgress] = [:]
    private var order: [String] = []
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant
    private var starts: [String: ContinuousClock.Instant] = [:]
    private let write: @Sendable (String) -> Void

    /// - Parameters:
    ///   - isTerminal: whether standard error is a terminal (live line) or a log (plain lines).
    ///   - write: where the text goes (standard error by default).
    init(
        isTerminal: Bool, width: Int? = ProgressBoard.standardErrorWidth,
        write: @escaping @Sendable (String) -> Void = ProgressBoard.standardError
    ) {
        line = ProgressLine(isTerminal: isTerminal, width: width)
        origin = clock.now
        self.write = write
    }

    /// Whether standard error is a terminal.
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// The width of the terminal on standard error, when it is one.
    static var standardErrorWidth: Int? {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    @Sendable static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Starts showing a new task with these sides (labels and step counts).
    func begin(task: String, sides: [SideProgress]) {
        self.task = task
        self.sides = Dictionary(uniqueKeysWithValues: sides.map { ($0.label, $0) })
        order = sides.map(\.label)
        let now = clock.now
        starts = Dictionary(uniqueKeysWithValues: sides.map { ($0.label, now) })
    }

    /// A message on a line of its own (the seed chosen, a round's frontier, …).
    func note(_ text: String) {
        write(line.finish() + text + "\n")
    }

    func update(_ label: String, _ event: TrainingEvent) {
        guard var side = sides[label] else { return }
        let force = side.apply(event)
        if case .roundEnd(let round) = event {
            var text = "\(task) \(label) round \(round.round): capability frontier X depth \(round.frontier)"
            if let amplified = round.amplifiedFrontier { text += ", Amp(H, X) depth \(amplified)" }
            note(text)
        }
        side.elapsed = seconds(since: starts[label] ?? origin)
        sides[label] = side
        show(force: force)
    }

    /// Marks a side finished.
    func finish(_ label: String) {
        sides[label]?.finished = true
        show(force: true)
    }

    /// Ends the live line so the report starts on a fresh line.
    func end() {
        write(line.finish())
    }

    private func show(force: Bool) {
        let now = seconds(since: origin)
        if let text = line.update(task: task, sides: order.compactMap { sides[$0] }, now: now, force: force) {
            write(text)
        }
    }

    private func seconds(since instant: ContinuousClock.Instant) -> Double {
        (clock.now - instant).seconds
    }
}
