extension DistillationConfiguration {
    /// Adam steps the `small` preset gives each task, measured on this machine kind
    /// (Documentation/Training.md): IA needs more steps where a question's depth is hidden in the
    /// instance (union find, assignments, shortest path), because until X is right at depth d its
    /// amplified targets at depth d + 1 are wrong for questions that look the same.
    public static let smallSteps: [String: Int] = [
        "permutation": 4000, "assignments": 12_000, "wildcard": 3000, "shortest-path": 8000, "union-find": 12_000,
    ]

    /// Preset `name` (`tiny`, `small`, `paper`) tuned for the task named `taskName`: at `small`
    /// the task's step count from ``smallSteps`` and ten evaluations per run; other presets and
    /// unknown tasks get the preset unchanged. `nil` for an unknown preset name.
    ///
    /// ```swift
    /// let configuration = DistillationConfiguration.preset(named: "small", task: "union-find")
    /// ```
    public static func preset(named name: String, task taskName: String) -> DistillationConfiguration? {
        guard var configuration = presets[name] else { return nil }
        if name == "small", let steps = smallSteps[taskName] {
            configuration.steps = steps
            configuration.evaluation.interval = steps / 10
            configuration.checkpointInterval = steps / 10
        }
        return configuration
    }
}
