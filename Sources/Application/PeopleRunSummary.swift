import Amplification
import Foundation
import Store

/// What a run worked by people cost and scored: people's effort counted apart from the engine's
/// (the paper's expert calls, made by people), and the accuracy of its answers as corrected.
public struct PeopleRunSummary: Codable, Sendable, Equatable {
    /// People's actions on workspaces: sub-questions asked (lookups among them) and answers.
    public var humanActions: Int
    /// The sub-questions that looked up a hidden fact.
    public var humanLookups: Int
    /// Facts looked up earlier shown to a second person in a workspace handed on (no action of
    /// the engine's).
    public var reveals: Int
    public var humanAnswers: Int
    public var corrections: Int
    /// Workspaces handed back unworked.
    public var skips: Int
    /// Actions taken back by whoever took them: counted among ``humanActions`` (the effort was
    /// spent), no longer among the engine's ``supervisorActions``.
    public var undos: Int
    /// Who did any of it, by name.
    public var people: [String]
    /// The engine's count of supervisor actions (people's, and any other supervisor's).
    public var supervisorActions: Int
    /// Actions by a supervisor other than a person (a model, a script): none in a run of the
    /// web app so far.
    public var otherActions: Int
    /// Main questions that can be scored (a task's all, by its oracle after the run; a text
    /// question with a reference answer), and how many of their answers, as corrected, are right.
    public var scoredQuestions: Int
    public var correctAnswers: Int

    /// `correctAnswers / scoredQuestions`, or `nil` when no question has a reference answer.
    public var accuracy: Double? { scoredQuestions == 0 ? nil : Double(correctAnswers) / Double(scoredQuestions) }

    /// Run `run`'s summary, from its audit log, its progress and its tree as corrected.
    ///
    /// - Throws: ``ApplicationError/unreadableRun(run:problem:)``; the store's errors.
    public static func of(run: String, in store: any ServerStore) throws -> PeopleRunSummary {
        let record = try store.run(id: run)
        let audit = try store.audit(run: run)
        let count = { (action: AuditAction) in audit.count { $0.action == action } }
        let humanActions = count(.ask) + count(.lookup) + count(.answer)
        let progress = record.report.flatMap { try? JSONDecoder().decode(AmplificationProgress.self, from: Data($0.utf8)) }
        let supervisorActions = progress?.counters.supervisorActions ?? humanActions
        var scored = 0
        var correct = 0
        let source = try TrainingExport.Source(record: record)
        let scorable: (WorkspaceSnapshot) -> Bool
        switch try StoredTree.job(of: record) {
        case .text(let job): scorable = { job.questions[$0.context].referenceAnswer != nil }
        case .task: scorable = { _ in true }
        }
        for snapshot in try CorrectedTree.load(run: run, in: store).snapshots where snapshot.id.depth == 0 && scorable(snapshot) {
            scored += 1
            if let answer = snapshot.answer, source.verify(snapshot, answer) == true { correct += 1 }
        }
        return PeopleRunSummary(
            humanActions: humanActions, humanLookups: count(.lookup), reveals: count(.reveal), humanAnswers: count(.answer),
            corrections: count(.correct), skips: count(.skip), undos: count(.undo),
            people: Set(audit.filter { $0.action != .startRun && $0.action != .pause && $0.action != .resume && $0.action != .stop }
                .compactMap(\.user)).sorted(),
            supervisorActions: supervisorActions, otherActions: max(0, supervisorActions - humanActions + count(.undo)),
            scoredQuestions: scored, correctAnswers: correct)
    }
}
