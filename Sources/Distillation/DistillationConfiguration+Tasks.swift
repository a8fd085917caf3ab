extension DistillationConfiguration {
    /// What the `small` preset changes for one task.
    public struct TaskTuning: Codable, Sendable, Hashable {
        public var steps: Int
        public var batchSize: Int

        public init(steps: Int, batchSize: Int) {
            self.steps = steps
            self.batchSize = batchSize
        }
    }

    /// The `small` preset's steps and batch per task, measured on this machine kind
    /// (Documentation/Training.md). Where a question's depth is hidden in the instance (union
    /// find, assignments, shortest path), IA's targets at depth d + 1 are wrong until X is right at
    /// depth d, for questions that look exactly like the right ones; a batch of 64 averages that
    /// noise out (union find at 3000 steps: IA 60.6 % at batch 16, 69.5 % at 32, 90.2 % at 64).
    /// Wildcard search reaches 100 % at batch 16; 64 would only cost time (16 questions per
    /// instance).
    public static let smallTuning: [String: TaskTuning] = [
        "permutation": TaskTuning(steps: 3000, batchSize: 16),
        "assignments": TaskTuning(steps: 3000, batchSize: 64),
        "wildcard": TaskTuning(steps: 3000, batchSize: 16),
        "shortest-path": TaskTuning(steps: 3000, batchSize: 64),
        "union-find": TaskTuning(steps: 3000, batchSize: 64),
    ]

    /// Preset `name` (`tiny`, `small`, `paper`) tuned for the task named `taskName`: at `small`
    /// the task's steps and batch from ``smallTuning``, with generation and buffer scaled to keep
    /// 10 uses per target and 125 steps of target life, and ten evaluations per run. Other
    /// presets and unknown tasks get the preset unchanged; `nil` for an unknown preset name.
    ///
    /// ```swift
    /// let configuration = DistillationConfiguration.preset(named: "small", task: "union-find")
    /// ```
    public static func preset(named name: String, task taskName: String) -> DistillationConfiguration? {
        guard var configuration = presets[name] else { return nil }
        if name == "small", let tuning = smallTuning[taskName] {
            configuration.steps = tuning.steps
            configuration.batchSize = tuning.batchSize
            configuration.instancesPerGeneration = tuning.batchSize / 2  // batch · 5 / (batch / 2) = 10 uses
            configuration.bufferCapacity = tuning.batchSize * 25 / 2  // 125 steps of life
            configuration.evaluation.interval = tuning.steps / 10
            configuration.checkpointInterval = tuning.steps / 10
        }
        return configuration
    }
}
