import Amplification
import Foundation
import Tasks
import Testing

@testable import Web

/// The desk on its own: who is handed what, and when a hold lapses.
@Suite(.timeLimit(.minutes(1))) struct PersonDeskTests {
    static let workspace = Workspace(question: .text("Q?"), subquestionsLeft: 3)

    /// Leaves a workspace on `desk` as the engine would, in a task that waits for its action.
    static func offer(_ desk: PersonDesk, run: String = "r", node: String) -> Task<String, any Error> {
        Task { try await desk.wait(for: PersonDesk.Key(run: run, node: WorkspaceID(node)!), workspace: workspace).person }
    }

    static func waitUntilWaiting(_ desk: PersonDesk, _ count: Int) async throws {
        while await desk.waitingWorkspaces(of: "r").count < count { try await Task.sleep(for: .milliseconds(5)) }
    }

    @Test func oldestFirstOwnFirstAndSkippedOnesGoToOthers() async throws {
        let desk = PersonDesk()
        let first = Self.offer(desk, node: "1")
        try await Self.waitUntilWaiting(desk, 1)
        let second = Self.offer(desk, node: "2")
        try await Self.waitUntilWaiting(desk, 2)

        #expect(await desk.take(for: "bo")?.key.node.description == "1")
        #expect(await desk.take(for: "bo")?.key.node.description == "1", "the one they hold, again")
        #expect(await desk.take(for: "cy")?.key.node.description == "2")
        #expect(await desk.take(for: "di") == nil, "everything is held")
        try await desk.skip(PersonDesk.Key(run: "r", node: WorkspaceID("1")!), by: "bo")
        #expect(await desk.take(for: "bo") == nil, "a skipped workspace is not offered again to who skipped it")
        #expect(await desk.take(for: "di")?.key.node.description == "1")

        // The action reaches the engine's call at once, and is acknowledged once the journal has it.
        let acting = Task { try await desk.act(.answer(.text("A")), on: PersonDesk.Key(run: "r", node: WorkspaceID("1")!), by: "di") }
        #expect(try await first.value == "di")
        await desk.recorded([WorkspaceID("1")!], of: "r")
        try await acting.value
        await desk.stop("r")
        await #expect(throws: CancellationError.self) { try await second.value }
    }

    @Test func aHoldLapsesAfterItsLimitAndOnSigningOut() async throws {
        let desk = PersonDesk(holdLimit: 0.05)
        _ = Self.offer(desk, node: "1")
        try await Self.waitUntilWaiting(desk, 1)
        #expect(await desk.take(for: "bo") != nil)
        #expect(await desk.take(for: "cy") == nil)
        try await Task.sleep(for: .milliseconds(100))
        #expect(await desk.take(for: "cy")?.key.node.description == "1", "bo let it lie past the limit")
        await #expect(throws: PersonDesk.Refusal.heldByAnother) {
            try await desk.act(.answer(.text("A")), on: PersonDesk.Key(run: "r", node: WorkspaceID("1")!), by: "bo")
        }

        let patient = PersonDesk()
        _ = Self.offer(patient, node: "1")
        try await Self.waitUntilWaiting(patient, 1)
        #expect(await patient.take(for: "bo") != nil)
        await patient.release("bo")
        #expect(await patient.take(for: "cy") != nil, "signing out frees what one held")
        await patient.stop("r")
        await desk.stop("r")
    }
}
