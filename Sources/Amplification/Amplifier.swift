import SeededRandom
import Tasks

/// Amp(H, X): runs the supervisor H on many workspaces in turns and sends the pending non-leaf
/// sub-questions of a turn to the assistant X in one batched call.
///
/// Each turn: every workspace ready to act gets one action from H; a leaf sub-question is
/// answered by one lookup in its instance's facts; a sub-question that reappears in its own
/// ancestry is answered unknown; a sub-question asked above ``supervisedDepth`` opens a workspace
/// of its own, worked by H from the next turn; the others of the turn go to X in **one** call, and
/// the answers are fed back. Working sub-workspaces (``supervisedDepth`` above 0), a synchronous H
/// (the scripted expert) works each workspace on in the same turn, depth first, until it waits
/// for X: the same answers and work, in fewer calls of X. The run ends when every main question has an answer. All workspaces
/// of a run form one tree, so HCH_n is one amplifier (see ``HCH``). Budgets
/// (``AmplificationBudget``) are enforced over the whole tree: what exceeds one is answered
/// unknown and counted. Ground truth is checked after every assistant call
/// (``GroundTruthPolicy``). With a ``ConcurrentSupervisor`` among ``supervisors`` there are no
/// turns: each workspace moves on as its calls come back, so a slow supervisor holds up only the
/// workspaces waiting for it.
///
/// An `Amplifier` is itself an ``Assistant``, so an amplification can serve as another's X.
///
/// ```swift
/// let task = PermutationPowering(.small)
/// let amplifier = Amplifier(task: task, supervisor: ScriptedExpert(task: task),
///                           assistant: GroundTruthAssistant(),
///                           configuration: AmplifierConfiguration(groundTruth: .allowed))
/// let result = try await amplifier.amplify(instances, seed: 7)
/// result.answers        // one per question of every instance
/// result.counters       // supervisor actions, leaf lookups, assistant calls, …
/// ```
public struct Amplifier: Sendable {
    /// The rules of the questions, which the engine asks: a task's (``TaskDomain``), or free
    /// text's (``TextDomain``).
    public let domain: any Domain
    /// Who works the workspaces: main question `i` and everything below it go to
    /// `supervisors[supervisedBy[i]]` (see ``run(_:contexts:supervisedBy:)``), to the first by
    /// default.
    public let supervisors: [any Supervisor]
    public let assistant: any Assistant
    public let configuration: AmplifierConfiguration
    /// How far below the main questions the supervisor works: sub-questions asked by a workspace
    /// at this depth go to the assistant. 0 is Amp(H, X); `n` with the unknown assistant is HCH_n.
    public let supervisedDepth: Int

    /// The name this amplifier goes by as an assistant (`Amp(expert, unknown)` by default).
    public let name: String

    public init(
        task: any AmplificationTask, supervisor: any Supervisor, assistant: any Assistant, supervisedDepth: Int = 0,
        configuration: AmplifierConfiguration = AmplifierConfiguration(), name: String? = nil
    ) {
        self.init(
            task: task, supervisors: [supervisor], assistant: assistant, supervisedDepth: supervisedDepth,
            configuration: configuration, name: name)
    }

    /// An amplifier whose main questions are shared among several supervisors, each working at
    /// its own pace (a person beside the scripted expert, say).
    ///
    /// - Precondition: `supervisors` is not empty and `supervisedDepth >= 0`.
    public init(
        task: any AmplificationTask, supervisors: [any Supervisor], assistant: any Assistant, supervisedDepth: Int = 0,
        configuration: AmplifierConfiguration = AmplifierConfiguration(), name: String? = nil
    ) {
        self.init(
            domain: TaskDomain(task), supervisors: supervisors, assistant: assistant, supervisedDepth: supervisedDepth,
            configuration: configuration, name: name)
    }

    /// An amplifier of any domain's questions (free text, say), shared among `supervisors` as
    /// for a task's.
    ///
    /// - Precondition: `supervisors` is not empty and `supervisedDepth >= 0`.
    public init(
        domain: any Domain, supervisors: [any Supervisor], assistant: any Assistant, supervisedDepth: Int = 0,
        configuration: AmplifierConfiguration = AmplifierConfiguration(), name: String? = nil
    ) {
        precondition(!supervisors.isEmpty, "Amplifier: needs a supervisor")
        precondition(supervisedDepth >= 0, "Amplifier: supervisedDepth must be non-negative, got \(supervisedDepth)")
        self.domain = domain
        self.supervisedDepth = supervisedDepth
        self.supervisors = supervisors
        self.assistant = assistant
        self.configuration = configuration
        self.name = name ?? "Amp(\(supervisors.map(\.name).joined(separator: " + ")), \(assistant.name))"
    }

    /// As an assistant: the amplification, by name.
    public var agent: Agent { .amplification(name) }

    /// The first supervisor, the one that works every workspace unless a run says otherwise.
    public var supervisor: any Supervisor { supervisors[0] }

    /// Answers `queries` about `contexts`: the main entry point.
    ///
    /// - Precondition: every `query.context` indexes `contexts`, and every question is of the
    ///   domain's kind and (for a task) length.
    /// - Parameter supervisedBy: for each query, the index of the supervisor that works it and
    ///   the workspaces below it; `nil`: the first supervisor works everything.
    /// - Precondition: `supervisedBy`, when given, has one index into ``supervisors`` per query.
    /// - Parameter journal: where the workspaces go as the tree grows (the run then keeps traces,
    ///   and ``resume(_:contexts:journal:)`` can go on from what it recorded); `nil`: nowhere.
    public func run(
        _ queries: [AssistantQuery], contexts: [InstanceContext], supervisedBy: [Int]? = nil,
        journal: (any WorkspaceJournal)? = nil
    ) async throws -> AmplificationResult {
        let budget = configuration.budget
        let options = ReplyOptions(
            supervisorActionsLeft: budget.supervisorActions, assistantCallsLeft: budget.assistantCalls,
            tracing: configuration.tracing)
        var tree = AmplificationTree(
            amplifier: self, queries: queries, contexts: contexts, options: options, supervisedBy: supervisedBy,
            journal: journal)
        try await tree.runToCompletion()
        return tree.result()
    }

    /// Goes on with a run its journal saved (after the process running it stopped): workspaces
    /// that were acting are offered to their supervisors again, questions left with the assistant
    /// are asked again, and nothing answered is redone. With supervisors and an assistant that
    /// answer the same workspace the same way, the result equals the uninterrupted run's.
    ///
    /// - Throws: ``AmplificationError/unresumable(_:)`` when `saved` is not a run of this amplifier
    ///   on `contexts` (a workspace whose parent, instance or supervisor is missing).
    public func resume(
        _ saved: SavedAmplification, contexts: [InstanceContext], journal: (any WorkspaceJournal)? = nil
    ) async throws -> AmplificationResult {
        var tree = try AmplificationTree.restoring(saved, amplifier: self, contexts: contexts, journal: journal)
        try await tree.runToCompletion()
        return tree.result()
    }

    /// Answers every question of every instance, instance by instance; query `i`'s random stream
    /// is the `i`-th draw of `SplitMix64(seed: seed)`.
    ///
    /// - Precondition: the amplifier's domain is a task's (``TaskDomain``).
    public func amplify(_ instances: [TaskInstance], seed: UInt64) async throws -> AmplificationResult {
        guard let task = (domain as? TaskDomain)?.task else {
            preconditionFailure("Amplifier.amplify: instances are a task's, and the domain is '\(domain.name)'")
        }
        let contexts = InstanceContext.contexts(for: instances, task: task)
        return try await run(AssistantQuery.mainQuestions(of: instances, seed: seed), contexts: contexts)
    }

    /// The run within the budget `options` leaves; a nested run (used as an assistant) skips
    /// collecting the final workspaces.
    func run(
        _ queries: [AssistantQuery], contexts: [InstanceContext], options: ReplyOptions, supervisedBy: [Int]? = nil,
        includeWorkspaces: Bool = true
    ) async throws -> AmplificationResult {
        var state = AmplificationTree(
            amplifier: self, queries: queries, contexts: contexts, options: options, supervisedBy: supervisedBy)
        try await state.runToCompletion()
        return state.result(includeWorkspaces: includeWorkspaces)
    }
}

extension Amplifier: Assistant {
    public func answer(_ queries: [AssistantQuery], contexts: [InstanceContext]) async throws -> [Content] {
        try await run(queries, contexts: contexts).answers
    }

    public func reply(to queries: [AssistantQuery], contexts: [InstanceContext], options: ReplyOptions) async throws
        -> AssistantReply
    {
        let budget = configuration.budget
        var limited = options
        limited.supervisorActionsLeft = min(options.supervisorActionsLeft, budget.supervisorActions)
        limited.assistantCallsLeft = min(options.assistantCallsLeft, budget.assistantCalls)
        let result = try await run(queries, contexts: contexts, options: limited, includeWorkspaces: false)
        return AssistantReply(answers: result.answers, counters: result.counters, traces: result.traces)
    }
}

extension AssistantQuery {
    /// The main questions of `instances`, instance by instance, each with its own seed drawn in
    /// order from `SplitMix64(seed: seed)`.
    public static func mainQuestions(of instances: [TaskInstance], seed: UInt64) -> [AssistantQuery] {
        var rng = SplitMix64(seed: seed)
        var queries: [AssistantQuery] = []
        queries.reserveCapacity(instances.reduce(0) { $0 + $1.questions.count })
        for (index, instance) in instances.enumerated() {
            for question in instance.questions {
                queries.append(AssistantQuery(context: index, question: .tokens(question), seed: rng.next()))
            }
        }
        return queries
    }
}
