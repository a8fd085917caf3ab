/// Where a run's events go to be kept: the command line implements it over the `Store`, so
/// this module never links a database.
///
/// ```swift
/// struct Printer: RunRecorder {
///     func record(_ event: TrainingEvent) async throws { if case .step(let s) = event { print(s.loss) } }
/// }
/// let report = try await distiller.run(recorder: Printer())
/// ```
public protocol RunRecorder {
    /// Keeps or shows one event. Throwing stops the run (the state of the last `.checkpoint`
    /// event is where to resume).
    func record(_ event: TrainingEvent) async throws
}
