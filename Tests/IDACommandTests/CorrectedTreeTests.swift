import Amplification
@testable import Application
import Foundation
import Store
import Tasks
import Testing

/// A person's correction of a stored answer: a new version, never an overwrite, which the tree,
/// and the training data exported from it, take as the answer, leaving out what depended on it.
@Suite struct CorrectedTreeTests {
    /// A stored HCH_2 tree of the scripted expert on one union-find question, and a workspace at
    /// depth 1 whose answer the test corrects.
    static func storedTree(in store: any ServerStore) async throws -> (run: String, node: WorkspaceSnapshot, domain: TaskDomain) {
        let job = AmplificationJob(task: "union-find", preset: "small", seed: 5, instances: 1, depth: 2)
        let task = try TaskCatalog.task(named: "union-find", preset: "small")
        let (run, _, _) = try await job.start(in: store, supervisor: ScriptedExpert(task: task))
        let snapshots = try StoredTree.snapshots(from: store.workspaces(run: run), run: run)
        let node = try #require(snapshots.first { $0.id.depth == 1 && $0.answer != nil }, "the expert asked a sub-question")
        return (run, node, TaskDomain(task))
    }

    /// An answer the task reads that differs from `answer`: the unknown answer, or (for an
    /// unknown answer) the first word of the vocabulary that is a valid answer.
    static func other(than answer: Content, in domain: TaskDomain) -> String {
        if answer != domain.unknownAnswer { return domain.render(domain.unknownAnswer) }
        let length = answer.tokens.count
        for token in 0..<domain.task.vocabulary.count {
            let candidate = Content.tokens(Array(repeating: token, count: length))
            if candidate != answer && domain.rejection(of: .answer(candidate)) == nil { return domain.render(candidate) }
        }
        Issue.record("no other answer in \(domain.name)")
        return ""
    }

    @Test func aCorrectionIsTheAnswerInTheTreeAndInTheExportAndWhatDependedOnItIsLeftOut() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.database)
        let (run, node, domain) = try await Self.storedTree(in: store)
        let before = try TrainingExport.examples(of: run, in: store, split: 1)
        let original = try #require(node.answer)
        let text = Self.other(than: original, in: domain)

        let added = try Correcting.correct(run: run, node: node.id, answer: text, reason: "checked by hand", by: "ada", at: Date(), in: store)
        #expect(added.version == 1)
        let corrected = try CorrectedTree.load(run: run, in: store)
        let snapshot = try #require(corrected.snapshots.first { $0.id == node.id })
        #expect(domain.render(snapshot.answer!) == text && snapshot.answeredBy == .person("ada"))
        let parent = try #require(corrected.snapshots.first { $0.id == node.id.parent })
        #expect(domain.render(parent.workspace.exchanges[node.id.path.last! - 1].answer) == text, "the parent's exchange shows it")
        #expect(corrected.stale == [node.id.parent!], "the parent answered with the old answer in view")
        #expect(try StoredTree.snapshots(from: store.workspaces(run: run), run: run).first { $0.id == node.id }?.answer == original,
            "the tree as grown is kept")

        let after = try TrainingExport.examples(of: run, in: store, split: 1)
        let example = try #require(after.examples.first { $0.meta.node == node.id.description && $0.role == .answerer })
        #expect(example.messages.last?.content == text)
        #expect(example.meta.agent == "person:ada" && example.meta.correction == 1 && example.meta.isHumanLabel)
        #expect(after.humanLabels == 1 && after.corrections == 1 && after.stale == 1)
        #expect(!after.examples.contains { $0.meta.node == node.id.parent!.description }, "the stale parent teaches nothing")
        #expect(!after.examples.contains { $0.meta.node == node.id.description && $0.role == .decomposer })
        #expect(before.examples.contains { $0.meta.node == node.id.parent!.description })

        // A rerun writes the tree's rows again: the correction stands.
        try store.recordWorkspaces(try store.workspaces(run: run), run: run)
        #expect(try TrainingExport.examples(of: run, in: store, split: 1).examples.map(\.messages) == after.examples.map(\.messages))
    }

    @Test func versionsAccumulateAndALaterCorrectionOfTheParentIsNotStale() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.database)
        let (run, node, domain) = try await Self.storedTree(in: store)
        let text = Self.other(than: node.answer!, in: domain)
        let start = Date(timeIntervalSince1970: 1_796_000_000)
        _ = try Correcting.correct(run: run, node: node.id, answer: text, reason: "", by: "ada", at: start, in: store)
        #expect(throws: ApplicationError.invalidJob("workspace \(node.id) already answers \(text)")) {
            try Correcting.correct(run: run, node: node.id, answer: text, reason: "", by: "cy", at: start, in: store)
        }
        let back = try Correcting.correct(
            run: run, node: node.id, answer: domain.render(node.answer!), reason: "the first was right", by: "cy",
            at: start.addingTimeInterval(1), in: store)
        let firstVersion = try storedJSON(try domain.parse(text, subquestion: false))
        #expect(back.version == 2 && back.before == firstVersion)
        #expect(try store.corrections(run: run).map(\.version) == [1, 2])

        let parent = node.id.parent!
        let parentAnswer = try #require(try CorrectedTree.load(run: run, in: store).snapshots.first { $0.id == parent }?.answer)
        _ = try Correcting.correct(
            run: run, node: parent, answer: Self.other(than: parentAnswer, in: domain), reason: "", by: "ada",
            at: start.addingTimeInterval(2), in: store)
        let tree = try CorrectedTree.load(run: run, in: store)
        #expect(!tree.stale.contains(parent), "corrected after its child: decided with the child's answer in view")
        #expect(tree.stale == Set(sequence(first: parent.parent, next: { $0?.parent }).compactMap { $0 }))

        #expect(throws: ApplicationError.self) {
            try Correcting.correct(run: run, node: WorkspaceID("9.9")!, answer: "yes", reason: "", by: "ada", at: start, in: store)
        }
        #expect(throws: ApplicationError.self) {
            try Correcting.correct(run: run, node: node.id, answer: "not a token", reason: "", by: "ada", at: start, in: store)
        }
    }
}
