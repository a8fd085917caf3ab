import Foundation
import Store
import StoreTestSupport
import Testing

@testable import Web

/// `ida serve --keep-people-apart`: no one is handed a workspace above or below one they acted on.
@Suite struct KeepingApartTests {
    /// People kept apart, across a restart: who asked a sub-question is not handed it (the
    /// server learns who worked what from the audit log), someone else is, and the run ends.
    @Test func peopleKeptApartStayApartAfterARestart() async throws {
        let first = try await WebFixture(keepsPeopleApart: true)
        let ada = try await first.signedIn("ada")
        _ = try await ada.get("/")
        let started = try await ada.post("/runs", ["questions": #"{"question": "Top?", "facts": ["F"], "answer": "yes"}"#, "depth": "1"])
        let run = String(try #require(started.location).dropFirst("/runs/".count))
        try Accounts(store: first.store, hasher: PasswordHasher(cost: 4)).add(name: "cy", role: .supervisor, password: WebFixture.password)
        let bo = try await first.signedIn("bo")
        let (path, _) = try await SupervisingTests.next(bo)
        _ = try await bo.post(path, ["kind": "ask", "text": "Sub?"])
        await first.stop()

        let second = try await WebFixture(restarting: first, keepsPeopleApart: true)
        defer { Task { await second.stop() } }
        let (again, cy) = (try await second.signedIn("bo"), try await second.signedIn("cy"))
        while await second.web.app.desk.waitingWorkspaces(of: run).isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(try await again.get("/work").location == nil, "bo asked 1.1's question: it is not his")
        let refused = try await again.get("/work/\(run)/1.1")
        #expect(refused.status == .conflict && refused.body.contains("above or below"))
        let (cyPath, _) = try await SupervisingTests.next(cy)
        #expect(cyPath == "/work/\(run)/1.1", "cy may")
        _ = try await cy.post(cyPath, ["kind": "answer", "text": "yes"])
        let (rootPath, _) = try await SupervisingTests.next(again)
        #expect(rootPath == "/work/\(run)/1", "the question above comes back to bo")
        _ = try await again.post(rootPath, ["kind": "answer", "text": "yes"])
        await second.web.app.host.waitUntilDone(run)
        #expect(try second.store.run(id: run).status == .completed)
    }
}
