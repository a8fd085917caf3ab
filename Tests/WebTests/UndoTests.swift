import Amplification
import Application
import Foundation
import Store
import StoreTestSupport
import Testing

@testable import Web

/// A person takes back their own last action while nothing depends on it: a lookup, a
/// sub-question, an answer; what someone else acted on since, a second undo, and a finished run
/// are refused with the reason, and the run ends as if the undone actions had not been taken.
@Suite struct UndoTests {
    @Test(arguments: StoreBackend.available)
    func aPersonUndoesTheirLastActionWhileNothingDependsOnIt(backend: StoreBackend) async throws {
        let fixture = try await WebFixture(backend)
        defer { Task { await fixture.stop() } }
        let ada = try await fixture.signedIn("ada")
        _ = try await ada.get("/")
        let question = #"{"question": "Which day is the meeting?", "facts": ["The meeting is the day after the launch.", "The launch is on Monday."], "answer": "Tuesday"}"#
        let started = try await ada.post("/runs", ["questions": question, "depth": "1"])
        let run = String(try #require(started.location).dropFirst("/runs/".count))
        try Accounts(store: fixture.store, hasher: PasswordHasher(cost: 4)).add(name: "cy", role: .supervisor, password: WebFixture.password)
        let (bo, cy) = (try await fixture.signedIn("bo"), try await fixture.signedIn("cy"))
        let root = "/work/\(run)/1"
        func snapshot(_ node: String) throws -> WorkspaceSnapshot? {
            try StoredTree.saved(run: run, in: fixture.store).workspaces.first { $0.id == WorkspaceID(node)! }
        }
        /// Undoes `browser`'s last action, expecting it to be taken back.
        func undo(_ browser: Browser) async throws {
            let undone = try await browser.post("/work/undo")
            #expect(undone.status == .seeOther && undone.location == "/work", "\(undone.body)")
        }

        // A lookup taken back: the workspace comes back to bo without it.
        var (path, page) = try await SupervisingTests.next(bo)
        #expect(path == root && page.body.contains("Undo my last action"))
        let allowance = try #require(snapshot("1")?.workspace.subquestionsLeft)
        _ = try await bo.post(path, ["kind": "ask", "text": "fact 1"])
        (path, page) = try await SupervisingTests.next(bo)
        #expect(page.body.contains("The meeting is the day after the launch."))
        try await undo(bo)
        (path, page) = try await SupervisingTests.next(bo)
        #expect(path == root && !page.body.contains("fact 1") && page.body.contains("<strong>\(allowance)</strong>"))
        #expect(try snapshot("1")?.workspace.exchanges.isEmpty == true && snapshot("1")?.workspace.subquestionsLeft == allowance)
        let again = try await bo.post("/work/undo")
        #expect(again.status == .conflict && again.body.contains("no action to undo"), "one undo per action")

        // A sub-question taken back before anyone worked it: its workspace is gone.
        _ = try await bo.post(root, ["kind": "ask", "text": "When is the launch?"])
        #expect(try snapshot("1.1") != nil)
        try await undo(bo)
        (path, page) = try await SupervisingTests.next(bo)
        #expect(path == root && !page.body.contains("When is the launch?"))
        #expect(try snapshot("1.1") == nil && snapshot("1")?.state == .acting)

        // An answer taken back before the asking workspace acted on it: the sub-workspace is open
        // again with its lookup, and the question above waits for it.
        _ = try await bo.post(root, ["kind": "ask", "text": "When is the launch?"])
        (path, _) = try await SupervisingTests.next(bo)
        #expect(path == "/work/\(run)/1.1")
        _ = try await bo.post(path, ["kind": "ask", "text": "fact 2"])
        (path, _) = try await SupervisingTests.next(bo)
        _ = try await bo.post(path, ["kind": "answer", "text": "Monday"])
        #expect(try snapshot("1")?.state == .acting)
        try await undo(bo)
        (path, page) = try await SupervisingTests.next(bo)
        #expect(path == "/work/\(run)/1.1" && page.body.contains("The launch is on Monday."))
        #expect(try snapshot("1.1")?.state == .acting && snapshot("1")?.state == .waiting)
        _ = try await bo.post(path, ["kind": "answer", "text": "Monday"])

        // A sub-question someone else has worked on since is not taken back.
        (path, _) = try await SupervisingTests.next(bo)
        #expect(path == root)
        _ = try await bo.post(root, ["kind": "ask", "text": "What follows the launch?"])
        let (cyPath, _) = try await SupervisingTests.next(cy)
        #expect(cyPath == "/work/\(run)/1.2")
        _ = try await cy.post(cyPath, ["kind": "ask", "text": "fact 1"])
        let refused = try await bo.post("/work/undo")
        #expect(refused.status == .conflict && refused.body.contains("someone has acted on the sub-question"), "\(refused.body)")
        (path, _) = try await SupervisingTests.next(cy)
        _ = try await cy.post(path, ["kind": "answer", "text": "the meeting"])
        (path, _) = try await SupervisingTests.next(bo)
        _ = try await bo.post(path, ["kind": "answer", "text": "Tuesday"])
        await fixture.web.app.host.waitUntilDone(run)
        let finished = try await bo.post("/work/undo")
        #expect(finished.status == .conflict && finished.body.contains("no longer running"))

        // The tree is the one the kept actions grow; every action counts as effort, the undone
        // ones apart.
        #expect(try fixture.store.run(id: run).status == .completed)
        let saved = try StoredTree.saved(run: run, in: fixture.store)
        #expect(saved.workspaces.map(\.id.description).sorted() == ["1", "1.1", "1.2"])
        #expect(try snapshot("1")?.actions.count == 3 && snapshot("1.1")?.actions.count == 2)
        let summary = try PeopleRunSummary.of(run: run, in: fixture.store)
        #expect(summary.undos == 3 && summary.humanActions == 10)
        #expect(summary.supervisorActions == 7 && summary.otherActions == 0 && summary.accuracy == 1)
        let audit = try fixture.store.audit(run: run)
        #expect(audit.filter { $0.action == .undo }.map(\.detail) == ["lookup fact 1", "ask When is the launch?", "answer Monday"])
    }

    /// Two people undoing at once, straight on the host: both are taken back, each workspace comes
    /// back without its lookup, and the run ends. (Undos that overlapped set two engines going on
    /// one run; this test did not catch that, the load test did, by the continuations the second
    /// engine displaced.)
    @Test func twoUndosAtOnceAreTakenOneAfterTheOther() async throws {
        let fixture = try await WebFixture()
        defer { Task { await fixture.stop() } }
        let ada = try await fixture.signedIn("ada")
        _ = try await ada.get("/")
        let started = try await ada.post("/runs", ["questions": SupervisingTests.questions, "depth": "0"])
        let run = String(try #require(started.location).dropFirst("/runs/".count))
        try Accounts(store: fixture.store, hasher: PasswordHasher(cost: 4)).add(name: "cy", role: .supervisor, password: WebFixture.password)
        let people = [try await fixture.signedIn("bo"), try await fixture.signedIn("cy")]
        var paths: [String] = []
        for person in people {
            let (path, _) = try await SupervisingTests.next(person)
            #expect(try await person.post(path, ["kind": "ask", "text": "fact 1"]).status == .seeOther)
            paths.append(path)
        }
        #expect(Set(paths).count == 2)
        // Straight on the host, so that both calls are on the actor together.
        let host = fixture.web.app.host
        async let first = host.undoLastAction(of: "bo")
        async let second = host.undoLastAction(of: "cy")
        let undone = try await [first.action, second.action]
        #expect(undone == [.lookup, .lookup])
        #expect(try fixture.store.audit(run: run).count { $0.action == .undo } == 2)
        for (person, path) in zip(people, paths) {
            let (again, page) = try await SupervisingTests.next(person)
            #expect(again == path && !page.body.contains("<td>fact 1</td>"), "each workspace comes back without its lookup")
            let answer = page.body.contains("Which day") ? "Tuesday" : "teal"
            #expect(try await person.post(path, ["kind": "answer", "text": answer]).status == .seeOther)
        }
        await fixture.web.app.host.waitUntilDone(run)
        #expect(try fixture.store.run(id: run).status == .completed)
    }
}
