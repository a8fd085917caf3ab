import Amplification
import Foundation
import IDATestSupport
import Tasks
import Testing

@testable import Web

/// The desk on its own: who is handed what, and when a hold lapses.
@Suite(.hangGuard) struct PersonDeskTests {
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

    static func key(_ node: String) -> PersonDesk.Key {
        PersonDesk.Key(run: "r", node: WorkspaceID(node)!)
    }

    /// People kept apart: no one is handed a workspace above or below one they acted on in the
    /// same run; elsewhere, and with the rule off, they are.
    @Test func peopleKeptApartAreNotHandedWorkspacesAboveOrBelowTheirOwn() async throws {
        let desk = PersonDesk(keepsApart: true)
        let root = Self.offer(desk, node: "1")
        try await Self.waitUntilWaiting(desk, 1)
        #expect(await desk.take(for: "bo")?.key == Self.key("1"))
        let acting = Task { try await desk.act(.ask(.text("Sub?")), on: Self.key("1"), by: "bo") }
        #expect(try await root.value == "bo")
        await desk.recorded([WorkspaceID("1")!], of: "r")
        try await acting.value

        let child = Self.offer(desk, node: "1.1")
        let other = Self.offer(desk, node: "2")
        _ = Self.offer(desk, run: "s", node: "1.1")
        try await Self.waitUntilWaiting(desk, 2)
        while await desk.waitingWorkspaces(of: "s").isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        #expect(await desk.take(for: "bo")?.key == Self.key("2"), "bo asked 1.1's question: not 1.1, the other tree's root")
        await #expect(throws: PersonDesk.Refusal.tooClose) { try await desk.open(Self.key("1.1"), for: "bo") }
        #expect(await desk.take(for: "cy")?.key == Self.key("1.1"), "cy may")
        #expect(try await desk.open(PersonDesk.Key(run: "s", node: WorkspaceID("1.1")!), for: "di").handedOut, "another run's 1.1 is apart")

        let mixing = PersonDesk()
        let again = Self.offer(mixing, node: "1")
        try await Self.waitUntilWaiting(mixing, 1)
        _ = await mixing.take(for: "bo")
        let asked = Task { try await mixing.act(.ask(.text("Sub?")), on: Self.key("1"), by: "bo") }
        _ = try await again.value
        await mixing.recorded([WorkspaceID("1")!], of: "r")
        try await asked.value
        _ = Self.offer(mixing, node: "1.1")
        try await Self.waitUntilWaiting(mixing, 1)
        #expect(await mixing.take(for: "bo")?.key == Self.key("1.1"), "with the rule off, bo answers his own sub-question")
        for desk in [desk, mixing] {
            await desk.stop("r")
            await desk.stop("s")
        }
        _ = await (try? child.value, try? other.value)
    }

    /// An action sent while its run is halted for someone's undo waits, and is taken once the
    /// resumed run offers the workspace again (to the same person), not refused.
    @Test func anActionSentDuringAnUndoIsTakenOnceTheRunGoesOn() async throws {
        let desk = PersonDesk()
        let first = Self.offer(desk, node: "2")
        try await Self.waitUntilWaiting(desk, 1)
        #expect(await desk.take(for: "cy")?.key == Self.key("2"))
        await desk.halt("r")
        let acting = Task { try await desk.act(.answer(.text("A")), on: Self.key("2"), by: "cy") }
        await desk.stop("r")
        await #expect(throws: CancellationError.self) { try await first.value }
        await desk.reopen("r")
        let again = Self.offer(desk, node: "2")
        #expect(try await again.value == "cy", "the resumed run's call gets cy's action")
        await desk.recorded([WorkspaceID("2")!], of: "r")
        try await acting.value
        await desk.stop("r")
    }
}
