import Amplification
import Asker
import NeuralNetworks
import SeededRandom
import TensorCore
import Tasks

/// The IA training loop (and, with ground-truth targets, the supervised baseline): owns the
/// student, its EMA teacher, Adam, the replay buffer and the curriculum, and runs a schedule.
///
/// `continuous` (reference §5.5): every `generationInterval` steps, `instancesPerGeneration`
/// fresh instances at the curriculum's size get targets, Amp(H, X_teacher) with leaf lookups (IA)
/// or ground truth (baseline), and enter the ring buffer; each step is one Adam step on
/// `batchSize` instances drawn from the buffer, then the EMA update. `rounds`: amplify a
/// full-size dataset with the current teacher, train the student on it, evaluate the new
/// teacher, repeat.
///
/// The library never reads the clock: the caller times the run. Random streams: weights from
/// `split(stream: 1)` of the seed, data from stream 2, batch order from stream 3, held-out
/// instances from the evaluation's stream.
///
/// ```swift
/// let task = try TaskCatalog.task(named: "permutation", preset: "small")
/// let distiller = try Distiller(task: task, configuration: .small, targets: .amplification, seed: 1)
/// let report = try await distiller.run { event in
///     if case .evaluation(let e) = event { print(e.step, e.modelAccuracy) }
/// }
/// ```
public final class Distiller {
    public let task: any AmplificationTask
    public let configuration: DistillationConfiguration
    public let targets: TargetSource
    public let schedule: TrainingSchedule
    public let seed: UInt64
    /// The model trained by Adam.
    public let student: Answerer
    /// The EMA of the student: answers sub-questions inside Amp(H, X) and is the evaluated X.
    public let teacher: Answerer
    public internal(set) var counters = TrainingCounters()
    public internal(set) var curriculum: Curriculum
    public internal(set) var buffer: ReplayBuffer
    /// Every evaluation so far.
    public internal(set) var evaluations: [EvaluationReport] = []
    /// Every finished round so far (`rounds`).
    public internal(set) var roundReports: [RoundReport] = []
    /// H′'s side of the run when `configuration.asker` is set and targets are amplified: its
    /// ``AskerLoop/supervisor`` replaces the scripted expert in Amp(·, X_teacher).
    public let asker: AskerLoop?

    /// Who grows the targets when the scripted expert is H: nil, this process; set, for example,
    /// to workers sharing the run. Never used with H′, which lives in this process.
    public var targetAmplifier: (any TargetAmplifier)? {
        willSet {
            precondition(newValue == nil || asker == nil, "Distiller: H′'s targets are grown where H′ is, not elsewhere")
        }
    }

    let optimizer: Adam
    /// The student's data-parallel training step (forward, backward, `optimizer`).
    let trainer: AnswererTrainer
    var teacherAverage: ParameterAverage
    var dataRandom: SplitMix64
    var batchRandom: SplitMix64
    var generationCount = 0
    var roundsCompleted = 0
    var roundDatasetReady = false
    lazy var evaluator: Evaluator? = makeEvaluator()
    /// H′'s held-out transcripts (``evaluateAsker()``), made at the first evaluation.
    var askerHeldOut: [Transcript]?

    /// A fresh run; with H′ (`configuration.asker`), `demonstrator` gives its demonstrations
    /// (the scripted expert when `nil`).
    ///
    /// - Throws: ``DistillationError/invalidConfiguration(_:)`` when `configuration.problem` is set
    ///   or the curriculum's start size does not fit the task.
    public init(
        task: any AmplificationTask, configuration: DistillationConfiguration, targets: TargetSource = .amplification,
        schedule: TrainingSchedule = .continuous, seed: UInt64, demonstrator: AskerLoop.Demonstrator? = nil
    ) throws(DistillationError) {
        if let problem = configuration.problem { throw .invalidConfiguration(problem) }
        if let start = configuration.curriculum.startSize, start > task.size {
            throw .invalidConfiguration("curriculum startSize \(start) exceeds the task's size \(task.size)")
        }
        self.task = task
        self.configuration = configuration
        self.targets = targets
        self.schedule = schedule
        self.seed = seed
        let root = SplitMix64(seed: seed)
        var weights = root.split(stream: 1)
        student = Answerer(configuration: configuration.answerer, dimensions: Self.dimensions(of: task), rng: &weights)
        var copy = SplitMix64(seed: 0)
        teacher = Answerer(configuration: configuration.answerer, dimensions: student.dimensions, rng: &copy)
        try? teacher.load(student.checkpoint())  // same architecture: cannot fail
        optimizer = Adam(parameters: student.parameters().map(\.tensor), configuration: configuration.optimizer)
        trainer = AnswererTrainer(model: student, optimizer: optimizer)
        teacherAverage = ParameterAverage(horizon: configuration.teacherHorizon)
        dataRandom = root.split(stream: 2)
        batchRandom = root.split(stream: 3)
        curriculum = Curriculum(
            configuration: configuration.curriculum, minimumSize: task.minimumSize, fullSize: task.size)
        buffer = ReplayBuffer(capacity: Self.bufferCapacity(configuration, schedule))
        var askerRandom = root.split(stream: 4)
        asker = targets == .amplification
            ? configuration.asker.map {
                AskerLoop(task: task, configuration: $0, seed: askerRandom.next(), demonstrator: demonstrator)
            } : nil
    }

    /// The ring's capacity: a round's whole dataset must fit in the `rounds` schedule.
    static func bufferCapacity(_ configuration: DistillationConfiguration, _ schedule: TrainingSchedule) -> Int {
        schedule == .rounds
            ? max(configuration.bufferCapacity, configuration.rounds.instancesPerRound) : configuration.bufferCapacity
    }

    /// The answerer's task-dependent sizes for `task`.
    public static func dimensions(of task: any AmplificationTask) -> TaskDimensions {
        TaskDimensions(
            vocabularySize: task.vocabulary.count, factLength: task.factLength, questionLength: task.questionLength,
            answerLength: task.answerLength)
    }

    /// The steps the schedule takes in all.
    public var totalSteps: Int {
        switch schedule {
        case .continuous: configuration.steps
        case .rounds: configuration.rounds.roundCount * configuration.rounds.stepsPerRound
        }
    }

    /// Whether the schedule has run to its end.
    public var isFinished: Bool {
        switch schedule {
        case .continuous: counters.steps >= configuration.steps && evaluations.last?.step == counters.steps
        case .rounds: roundsCompleted >= configuration.rounds.roundCount
        }
    }

    /// Runs the schedule to its end (or on from a resumed state), reporting every event.
    ///
    /// - Throws: what `onEvent` throws (the run stops; resume from the last `.checkpoint`),
    ///   ``DistillationError/groundTruthInTargets(count:)`` if the check fires, or an
    ///   ``AmplificationError``.
    public func run(onEvent: (TrainingEvent) async throws -> Void = { _ in }) async throws -> DistillationReport {
        switch schedule {
        case .continuous: try await runContinuous(onEvent)
        case .rounds: try await runRounds(onEvent)
        }
        return report()
    }

    /// Runs the schedule, handing every event to `recorder`.
    public func run(recorder: some RunRecorder) async throws -> DistillationReport {
        try await run { event in try await recorder.record(event) }
    }

    /// The report of the run so far.
    public func report() -> DistillationReport {
        DistillationReport(
            taskName: task.name, targets: targets, schedule: schedule, seed: seed,
            evaluation: evaluations.last ?? EvaluationReport(step: counters.steps, instanceSize: task.size, depths: []),
            evaluations: evaluations, rounds: roundReports, counters: counters, finalCurriculumSize: curriculum.size,
            asker: asker?.report(heldOutAccuracy: evaluations.last?.askerAccuracy))
    }

    // MARK: - Schedules

    func runContinuous(_ onEvent: (TrainingEvent) async throws -> Void) async throws {
        if buffer.count == 0 {
            try await generate(count: configuration.warmupInstances, size: curriculum.size, updatesCurriculum: true, onEvent)
        }
        while counters.steps < configuration.steps {
            if counters.steps > 0, counters.steps % configuration.generationInterval == 0 {
                try await generate(
                    count: configuration.instancesPerGeneration, size: curriculum.size, updatesCurriculum: true, onEvent)
            }
            try await trainStep(round: nil, onEvent)
            let interval = configuration.evaluation.interval
            if interval > 0, counters.steps % interval == 0, counters.steps < configuration.steps {
                try await evaluate(round: nil, onEvent)
            }
            try await checkpointIfDue(onEvent)
        }
        if evaluations.last?.step != counters.steps {
            try await evaluate(round: nil, onEvent)
        }
    }

    func runRounds(_ onEvent: (TrainingEvent) async throws -> Void) async throws {
        let rounds = configuration.rounds
        while roundsCompleted < rounds.roundCount {
            let round = roundsCompleted + 1
            if !roundDatasetReady {
                buffer.replaceAll(with: [])
                try await generate(count: rounds.instancesPerRound, size: task.size, updatesCurriculum: false, onEvent)
                roundDatasetReady = true
            }
            while counters.steps < round * rounds.stepsPerRound {
                try await trainStep(round: round, onEvent)
                try await checkpointIfDue(onEvent)
            }
            let evaluation = try await evaluate(round: round, onEvent)
            let report = RoundReport(
                round: round, step: counters.steps, evaluation: evaluation, frontier: evaluation.frontier(),
                amplifiedFrontier: evaluation.amplifiedFrontier())
            roundReports.append(report)
            roundsCompleted += 1
            roundDatasetReady = false
            try await onEvent(.roundEnd(report))
            if configuration.checkpointInterval > 0 { try await checkpoint(onEvent) }
        }
    }

    func checkpointIfDue(_ onEvent: (TrainingEvent) async throws -> Void) async throws {
        let interval = configuration.checkpointInterval
        guard interval > 0, counters.steps % interval == 0 else { return }
        try await checkpoint(onEvent)
    }

    /// Emits the state. H′ forgets its remembered actions first: a run resumed from this state
    /// starts with none, and H′ counts an action it deferred to the expert when it first
    /// remembers it, so the uninterrupted run must consult the expert afresh here too.
    func checkpoint(_ onEvent: (TrainingEvent) async throws -> Void) async throws {
        asker?.supervisor.forgetActions()
        try await onEvent(.checkpoint(state()))
    }
}
