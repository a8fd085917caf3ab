extension DistillationConfiguration {
    /// What the `small` preset changes for one task.
    public struct TaskTuning: Codable, Sendable, Hashable {
        public var steps: Int
        public var batchSize: Int
        /// Steps between two generations of targets.
        public var generationInterval: Int
        /// Fresh instances amplified per generation.
        public var instancesPerGeneration: Int
        /// The replay ring's capacity in instances.
        public var bufferCapacity: Int
        /// Whether the size curriculum runs (from the task's `minimumSize`).
        public var curriculum: Bool

        /// The paper's reuse (10 uses per target: a generation of `batchSize / 2` instances every
        /// 5 steps) and a 125-step target life (`batchSize · 25 / 2` instances), curriculum off.
        public init(steps: Int, batchSize: Int) {
            self.init(
                steps: steps, batchSize: batchSize, generationInterval: 5, instancesPerGeneration: batchSize / 2,
                bufferCapacity: batchSize * 25 / 2, curriculum: false)
        }

        public init(
            steps: Int, batchSize: Int, generationInterval: Int, instancesPerGeneration: Int, bufferCapacity: Int,
            curriculum: Bool
        ) {
            self.steps = steps
            self.batchSize = batchSize
            self.generationInterval = generationInterval
            self.instancesPerGeneration = instancesPerGeneration
            self.bufferCapacity = bufferCapacity
            self.curriculum = curriculum
        }
    }

    /// The `small` preset's tuning per task, measured on this machine kind
    /// (Documentation/Training.md).
    ///
    /// - Where a question's depth is hidden in the instance (union find, assignments, shortest
    ///   path), IA's targets at depth d + 1 are wrong until X is right at depth d, for questions
    ///   that look exactly like the right ones; a batch of 64 averages that noise out (union find at
    ///   3000 steps: IA 60.6 % at batch 16, 69.5 % at 32, 90.2 % at 64).
    /// - Union find does better still on fresh instances: batch 32 with 32 new instances every step
    ///   (1 use) gave IA 98.9 % (supervised 99.5 %) at 6000 steps, against 97.2 % (99.1 %) at batch
    ///   64 with 10 uses, in the same time.
    /// - Wildcard search reaches 100 % at batch 16; 64 would only cost time.
    /// - Shortest path: at 3000 steps IA's X was still 4 points under Amp(H, X) and 2.2–3.8
    ///   under the baseline over seeds 1–3; at 4500 steps both gain (X 95.5 % mean, baseline
    ///   97.3 %) and IA is 0.9–2.4 points under on every seed.
    /// - Union find: at 6000 steps IA missed the baseline by 5.5 points with seed 3 (X 93.4 %);
    ///   at 9000 steps it is 0.8 under with each of seeds 1–3 (X 98.4–98.9 %).
    /// - Assignments: at 3000 steps IA's X was 13 points under Amp(H, X) with every seed, still
    ///   climbing, and spread over 61.1–73.8 % across seeds 1–3; two runs that differ only in a
    ///   few early targets (the expert's against H′'s) then ended up to 6 points apart. At 9000
    ///   steps X is 8 to 10 points under Amp(H, X), having gained 1 to 3 points since step 6000,
    ///   and its seeds spread over 4.8 points; the baseline stays near 60 % from 3000 steps on.
    /// - Permutation powering needs distinct instances, not reuse: with the paper's 10 uses per
    ///   target even the supervised baseline stayed near 30 % (4800 distinct instances in 3000
    ///   steps), with 2 uses IA stalled at 55 %, with 1 use (16 fresh instances every step) and the
    ///   curriculum from 4 elements IA reached 99.2 % and the baseline 99.8 % at 15 000 steps.
    public static let smallTuning: [String: TaskTuning] = [
        "permutation": TaskTuning(
            steps: 12_000, batchSize: 16, generationInterval: 1, instancesPerGeneration: 16, bufferCapacity: 200,
            curriculum: true),
        "assignments": TaskTuning(steps: 9000, batchSize: 64),
        "wildcard": TaskTuning(steps: 3000, batchSize: 16),
        "shortest-path": TaskTuning(steps: 4500, batchSize: 64),
        "union-find": TaskTuning(
            steps: 9000, batchSize: 32, generationInterval: 1, instancesPerGeneration: 32, bufferCapacity: 400,
            curriculum: false),
    ]

    /// Preset `name` (`tiny`, `small`, `paper`) tuned for the task named `taskName`: at `small`
    /// the task's steps, batch, generation, buffer and curriculum from ``smallTuning``, and ten
    /// evaluations and checkpoints per run. Other presets and unknown tasks get the preset
    /// unchanged; `nil` for an unknown preset name.
    ///
    /// ```swift
    /// let configuration = DistillationConfiguration.preset(named: "small", task: "union-find")
    /// ```
    public static func preset(named name: String, task taskName: String) -> DistillationConfiguration? {
        guard var configuration = presets[name] else { return nil }
        if name == "small", let tuning = smallTuning[taskName] {
            configuration.steps = tuning.steps
            configuration.batchSize = tuning.batchSize
            configuration.generationInterval = tuning.generationInterval
            configuration.instancesPerGeneration = tuning.instancesPerGeneration
            configuration.bufferCapacity = tuning.bufferCapacity
            configuration.curriculum.enabled = tuning.curriculum
            configuration.evaluation.interval = tuning.steps / 10
            configuration.checkpointInterval = tuning.steps / 10
        }
        return configuration
    }
}
