#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Amplification
import Foundation
import Store

/// Free-text questions answered by amplification (`ida ask`, `ida amplify --questions`): a
/// supervisor works each question and the sub-questions it leads to down to ``depth``, all in one
/// tree stored as it grows; below, the assistant answers (a language model directly, or nobody:
/// HCH_n's unknown). The job is the run's configuration (JSON in `run.configuration`).
public struct TextJob: Codable, Sendable, Equatable {
    /// Who answers the sub-questions asked below ``depth``: the closed choice of `--assistant`.
    public enum AssistantKind: String, Codable, Sendable, CaseIterable {
        /// A language model, directly from the question's facts.
        case llm
        /// Nobody: they are answered unknown, so the tree is HCH_n of the supervisor.
        case hch
    }

    /// The questions, each with its hidden facts (looked up one at a time as `fact N`) and, when
    /// known, its reference answer (scored, never shown).
    public var questions: [TextFacts]
    /// n: the supervisor works the workspaces down to depth n.
    public var depth: Int
    public var assistant: AssistantKind
    /// The random streams of the main questions (the i-th question's is the i-th draw).
    public var seed: UInt64

    public init(questions: [TextFacts], depth: Int, assistant: AssistantKind, seed: UInt64 = 0) {
        self.questions = questions
        self.depth = depth
        self.assistant = assistant
        self.seed = seed
    }

    /// Checks the questions and the depth before any model is called.
    ///
    /// - Throws: ``ApplicationError/invalidJob(_:)``.
    public func validate(in domain: TextDomain) throws {
        guard !questions.isEmpty else { throw ApplicationError.invalidJob("there is no question to answer") }
        for (index, question) in questions.enumerated() {
            if let rejection = domain.rejection(of: .ask(.text(question.question))) {
                let which = questions.count == 1 ? "the question" : "question \(index + 1)"
                throw ApplicationError.invalidJob("\(which) cannot be asked: \(rejection)")
            }
        }
        guard depth >= 0 else { throw ApplicationError.invalidJob("the depth must be at least 0, got \(depth)") }
    }

    /// The amplifier the job runs: `supervisor` down to ``depth``, `modelAssistant` below when
    /// ``assistant`` is `.llm`.
    func amplifier(domain: TextDomain, supervisor: any Supervisor, assistant modelAssistant: any Assistant) -> Amplifier {
        Amplifier(
            domain: domain, supervisors: [supervisor],
            assistant: assistant == .llm ? modelAssistant : ConstantAssistant.unknown(in: domain), supervisedDepth: depth,
            configuration: AmplifierConfiguration(tracing: true))
    }

    /// Answers the questions in a new run of `store` (kind `hch`, task `text`, schedule
    /// `schedule`), the tree stored as it grows; the run is completed with the tree, or failed
    /// (the stored workspaces kept) when the amplification throws, a spent budget included.
    /// `assistant` answers below ``depth`` when ``assistant`` is `.llm`.
    public func start(
        in store: any RunStore, domain: TextDomain, supervisor: any Supervisor, assistant modelAssistant: any Assistant,
        schedule: String, started: @Sendable (String) -> Void = { _ in },
        journal wrap: @Sendable (StoreJournal) -> any WorkspaceJournal = { $0 }
    ) async throws -> (run: String, result: AmplificationResult) {
        try validate(in: domain)
        let amplifier = amplifier(domain: domain, supervisor: supervisor, assistant: modelAssistant)
        let run = try store.createRun(
            NewRun(
                kind: .hch, task: domain.name, preset: "-", schedule: schedule, configuration: try storedJSON(self),
                seed: seed, createdAt: Date())
        ).id
        started(run)
        do {
            let result = try await amplifier.run(
                AssistantQuery.mainQuestions(of: questions, seed: seed), contexts: InstanceContext.contexts(for: questions),
                journal: wrap(StoreJournal(store: store, run: run)))
            try store.updateRun(run, status: .completed, updatedAt: Date())
            return (run, result)
        } catch {
            _ = try? store.updateRun(run, status: .failed, updatedAt: Date())
            throw error
        }
    }

    /// Goes on with stored run `run` (stopped by a spent budget, an error, or a killed process)
    /// from what its journal recorded: workspaces that were acting are offered to `supervisor`
    /// again, questions left with the assistant are asked again, nothing answered is redone
    /// (and with the response cache, nothing asked before is paid for again).
    ///
    /// - Throws: ``ApplicationError/unreadableRun(run:problem:)`` when the run is not a stored
    ///   text job's; ``ApplicationError/invalidJob(_:)`` when it is already complete.
    public static func resume(
        _ run: String, in store: any RunStore, domain: TextDomain, supervisor: any Supervisor,
        assistant modelAssistant: any Assistant, journal wrap: @Sendable (StoreJournal) -> any WorkspaceJournal = { $0 }
    ) async throws -> (job: TextJob, result: AmplificationResult) {
        let record = try store.run(id: run)
        guard record.kind == .hch,
            let job = try? JSONDecoder().decode(TextJob.self, from: Data(record.configuration.utf8))
        else {
            throw ApplicationError.unreadableRun(run: run, problem: "it is not a stored text amplification")
        }
        guard record.status != .completed else {
            throw ApplicationError.invalidJob("run \(run) is already complete; nothing to resume")
        }
        let saved = try StoredTree.saved(run: run, in: store)
        try store.updateRun(run, status: .running, updatedAt: Date())
        do {
            let result = try await job.amplifier(domain: domain, supervisor: supervisor, assistant: modelAssistant).resume(
                saved, contexts: InstanceContext.contexts(for: job.questions), journal: wrap(StoreJournal(store: store, run: run)))
            try store.updateRun(run, status: .completed, updatedAt: Date())
            return (job, result)
        } catch {
            _ = try? store.updateRun(run, status: .failed, updatedAt: Date())
            throw error
        }
    }
}
