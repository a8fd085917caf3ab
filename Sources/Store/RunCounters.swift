/// What a training run has consumed, and how well its learned supervisor H′ imitates the expert:
/// one row of the `runCounters` table, written with each checkpoint and at the end of the run.
///
/// ```swift
/// try store.saveCounters(
///     RunCounters(supervisor: .learned, steps: 3000, expertCalls: 3084,
///                 askerSubquestionAccuracy: 1, askerAnswerAccuracy: 0.99),
///     run: ia.id)
/// try store.counters(run: ia.id)?.expertCalls   // 3084
/// ```
public struct RunCounters: Codable, Sendable, Hashable {
    /// Who made the IA targets' decompositions; nil for the supervised baseline.
    public enum Supervisor: String, Codable, Sendable, Hashable, CaseIterable {
        /// The task's scripted expert H: every supervisor action is an expert call.
        case scripted
        /// H′, trained on the expert's demonstrations: only the demonstrations call the expert.
        case learned
    }

    public var supervisor: Supervisor?
    /// Adam steps of the answerer.
    public var steps: Int
    /// Questions trained on, with repetition.
    public var examples: Int
    /// Calls of the supervisor's policy (H or H′) while making targets.
    public var supervisorActions: Int
    /// Leaf sub-questions answered by a fact lookup while making targets.
    public var leafLookups: Int
    /// Ground-truth answers consumed as training labels (the supervised baseline's cost).
    public var groundTruthLabels: Int
    /// Calls of the real expert H (IA's cost): every supervisor action with the scripted expert,
    /// only the demonstrations' actions with H′, 0 in the baseline.
    public var expertCalls: Int
    /// H′'s held-out accuracy per action type: the fraction of whole sub-questions, and of whole
    /// main answers, predicted exactly (teacher-forced). Nil without H′ or before it was measured.
    public var askerSubquestionAccuracy: Double?
    public var askerAnswerAccuracy: Double?

    public init(
        supervisor: Supervisor? = nil, steps: Int = 0, examples: Int = 0, supervisorActions: Int = 0, leafLookups: Int = 0,
        groundTruthLabels: Int = 0, expertCalls: Int = 0, askerSubquestionAccuracy: Double? = nil,
        askerAnswerAccuracy: Double? = nil
    ) {
        self.supervisor = supervisor
        self.steps = steps
        self.examples = examples
        self.supervisorActions = supervisorActions
        self.leafLookups = leafLookups
        self.groundTruthLabels = groundTruthLabels
        self.expertCalls = expertCalls
        self.askerSubquestionAccuracy = askerSubquestionAccuracy
        self.askerAnswerAccuracy = askerAnswerAccuracy
    }
}
