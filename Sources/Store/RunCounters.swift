/// What a training run has consumed, and how well its learned supervisor H′ imitates the expert:
/// written with each checkpoint and at the end of the run.
///
/// The counts are named values (`steps`, `expertCalls`, `amplification.supervisorActions`, …),
/// one `runCount` row each: the store keeps whatever counts the training keeps, as the training
/// names them, without a column (or a copy of its type) per count.
///
/// ```swift
/// try store.saveCounters(
///     RunCounters(supervisor: .learned, counts: ["steps": 3000, "expertCalls": 3084],
///                 askerSubquestionAccuracy: 1, askerAnswerAccuracy: 0.99),
///     run: ia.id)
/// try store.counters(run: ia.id)?.counts["expertCalls"]   // 3084
/// ```
public struct RunCounters: Codable, Sendable, Hashable {
    /// Who made the IA targets' decompositions; nil for the supervised baseline.
    public enum Supervisor: String, Codable, Sendable, Hashable, CaseIterable {
        /// The task's scripted expert H: every supervisor action is an expert call.
        case scripted
        /// H′, trained on demonstrations: the demonstrations call the expert (the scripted one, or
        /// people in the web app: the run's configuration says which), and so do the actions H′
        /// defers to the scripted one.
        case learned
    }

    public var supervisor: Supervisor?
    /// Every count, by name; each ≥ 0.
    public var counts: [String: Int]
    /// H′'s held-out accuracy per action type: the fraction of whole sub-questions, and of whole
    /// main answers, predicted exactly (teacher-forced). Nil without H′ or before it was measured.
    public var askerSubquestionAccuracy: Double?
    public var askerAnswerAccuracy: Double?

    public init(
        supervisor: Supervisor? = nil, counts: [String: Int] = [:], askerSubquestionAccuracy: Double? = nil,
        askerAnswerAccuracy: Double? = nil
    ) {
        self.supervisor = supervisor
        self.counts = counts
        self.askerSubquestionAccuracy = askerSubquestionAccuracy
        self.askerAnswerAccuracy = askerAnswerAccuracy
    }
}
