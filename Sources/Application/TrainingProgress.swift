import Distillation

/// What one training (IA or supervised) last reported.
public struct SideProgress: Sendable, Equatable {
    public var label: String
    public var step: Int
    public var totalSteps: Int
    /// The step this process started from (0, or the checkpoint's step after `--resume`):
    /// the rate counts only the steps done here.
    public var startStep: Int
    /// The latest held-out accuracy of the model (X for IA), nil before the first evaluation.
    public var accuracy: Double?
    /// IA only: the latest accuracy of Amp(H, X).
    public var ampAccuracy: Double?
    /// IA only: the curriculum's current instance size.
    public var curriculumSize: Int?
    /// IA only: the real expert's calls so far (every supervisor action with the scripted
    /// expert; with H′, demonstrations and deferred actions).
    public var expertCalls: Int?
    /// Seconds since this side started, as measured by the caller.
    public var elapsed: Double
    public var finished = false

    public init(label: String, step: Int = 0, totalSteps: Int, startStep: Int = 0, elapsed: Double = 0) {
        self.label = label
        self.step = step
        self.totalSteps = totalSteps
        self.startStep = startStep
        self.elapsed = elapsed
    }

    /// Steps per second done by this process, nil until there is something to measure.
    public var rate: Double? {
        guard elapsed > 0, step > startStep else { return nil }
        return Double(step - startStep) / elapsed
    }

    /// Seconds until `totalSteps` at the current rate.
    public var remainingSeconds: Double? {
        guard let rate, rate > 0 else { return nil }
        return Double(max(totalSteps - step, 0)) / rate
    }
}

extension SideProgress {
    /// Takes in what `event` says of this side (its step, accuracies, curriculum size, and for
    /// IA its expert calls); returns whether it is news to show at once (an evaluation).
    public mutating func apply(_ event: TrainingEvent) -> Bool {
        switch event {
        case .step(let metrics):
            step = metrics.step
            totalSteps = metrics.totalSteps
            if ampAccuracy != nil || label == "IA" { curriculumSize = metrics.curriculumSize }
        case .evaluation(let report):
            accuracy = report.modelAccuracy
            ampAccuracy = report.amplifiedAccuracy
            return true
        case .generation(let generation):
            if label == "IA" { expertCalls = generation.expertCalls }
        case .roundEnd, .checkpoint:
            break
        }
        return false
    }
}

/// Who watches a training job (``TrainingJob``): the command line's progress line, a web page.
/// Called from both sides' tasks; an implementation serializes (an actor).
public protocol TrainingProgress: Sendable {
    /// A new task starts, with these sides (labels, step counts, where a resumed side stands).
    func begin(task: String, sides: [SideProgress]) async
    /// A message of its own (a resumed run, a round's frontier).
    func note(_ text: String) async
    /// What side `side` reported.
    func update(_ side: String, _ event: TrainingEvent) async
    /// Side `side` is done.
    func finish(_ side: String) async
    /// Every task is done.
    func end() async
}
