/// Progress as values: what a ``Distiller`` reports while it runs. The caller renders them
/// (progress line, log lines, store rows); the library never prints.
public enum TrainingEvent: Sendable {
    /// One Adam step finished.
    case step(StepMetrics)
    /// A generation of targets entered the replay buffer (with the curriculum's state).
    case generation(GenerationMetrics)
    /// A held-out evaluation finished.
    case evaluation(EvaluationReport)
    /// A resumable snapshot: ``Distiller/init(task:resuming:)`` continues from it exactly.
    case checkpoint(TrainingState)
    /// A round of the `rounds` schedule ended (after its evaluation).
    case roundEnd(RoundReport)
}
