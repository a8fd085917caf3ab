import Amplification
import Application
import Foundation
import IDATestSupport
import Store
import StoreTestSupport
import Testing

@testable import Web

/// People in the web app taking the questions of a shared run (`ida queue`) from the queue
/// `ida worker`s take them from, on a real PostgreSQL server and a real port.
@Suite(.enabled(if: StoreBackend.server != nil, "IDA_POSTGRES_TEST_URL names no server"), .serialized)
struct QueuedQuestionsTests {
    /// Queues ``SupervisingTests/questions`` and a third question, at depth 1, as `ida queue`
    /// does; returns the run's id.
    static func queue(in fixture: WebFixture, count: Int = 3) throws -> String {
        let third = #"{"question": "How many wheels has the cart?", "facts": ["The cart has four wheels."], "answer": "four"}"#
        let questions = try QuestionFile.parse(SupervisingTests.questions + "\n" + third)
        let queue = try #require(fixture.store as? any RunStore & WorkQueue)
        return try SharedAmplification.enqueue(
            .text(TextJob(questions: Array(questions.prefix(count)), depth: 1, assistant: .hch)), in: queue
        ).run
    }

    static func queued(_ fixture: WebFixture) -> QueuedQuestions {
        fixture.web.app.queued!
    }

    /// Waits until `condition` holds, for at most `seconds`.
    static func eventually(seconds: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    @Test func aPersonTakesAQueuedQuestionBesideAWorkerAndItIsStoredWhole() async throws {
        let fixture = try await WebFixture(.postgres, queuedQuestionLease: 30)
        defer { Task { await fixture.stop() } }
        let run = try Self.queue(in: fixture)
        let queue = try #require(fixture.store as? any RunStore & WorkQueue)
        let bo = try await fixture.signedIn("bo")

        // Bo asks for work: nothing is on the desk, so the server claims the first question.
        var (path, page) = try await SupervisingTests.next(bo)
        #expect(path == "/work/\(run)/1")
        #expect(page.body.contains("Which day is the meeting?"))
        #expect(try queue.workCounts(run: run).leased == 1)

        // A worker on the same queue takes the other two (and waits for bo's to end the run).
        let worker = AmplificationWorker(store: queue, name: "test-worker", leaseSeconds: 30) { _, _ in
            (ReadEveryFact(), ConstantAssistant.unknown(in: TextDomain()))
        }
        let working = Task { try await worker.work(run: run) }
        #expect(try await Self.eventually { try queue.workCounts(run: run).done == 2 })

        _ = try await bo.post(path, ["kind": "ask", "text": "fact 1"])
        (path, page) = try await SupervisingTests.next(bo)
        #expect(path == "/work/\(run)/1", "the question comes back to bo after the lookup")
        #expect(page.body.contains(HTML.escape(SupervisingTests.facts[0])))
        let undo = try await bo.post("/work/undo")
        #expect(undo.status == .conflict && undo.body.contains("its question belongs to a shared run"), "\(undo.body)")
        _ = try await bo.post(path, ["kind": "ask", "text": "fact 2"])
        (path, page) = try await SupervisingTests.next(bo)
        #expect(page.body.contains(HTML.escape(SupervisingTests.facts[1])))
        _ = try await bo.post(path, ["kind": "answer", "text": "Tuesday"])

        #expect(try await working.value == 2)
        #expect(try fixture.store.run(id: run).status == .completed)
        let counts = try queue.workCounts(run: run)
        #expect(counts.done == 3 && counts.queued == 0 && counts.leased == 0)
        let roots = try fixture.store.workspaces(run: run).filter { $0.parentID == nil }.sorted { $0.id < $1.id }
        #expect(roots.map(\.id) == ["1", "2", "3"])
        #expect(roots.map(\.answeredBy) == ["person:bo", "program:read-every-fact", "program:read-every-fact"])
        #expect(roots[0].answer?.contains("Tuesday") == true)
        #expect(roots[0].detail.contains(SupervisingTests.facts[0]) && roots[0].detail.contains(SupervisingTests.facts[1]))
        let audit = try fixture.store.audit(run: run)
        #expect(audit.filter { $0.action == .lookup }.map(\.node) == ["1", "1"])
        #expect(audit.filter { $0.action == .answer }.map(\.detail) == ["Tuesday"])
        #expect(await Self.queued(fixture).leases.isEmpty)

        // Nothing is left: bo is told so, and nothing more is claimed.
        let after = try await bo.get("/work")
        #expect(after.location == nil && after.body.contains("No workspace is waiting for you"))
    }

    @Test func aQuestionWhoseServerStoppedGoesOnElsewhereFromItsLastActionAndIsStoredOnce() async throws {
        let first = try await WebFixture(.postgres, queuedQuestionLease: 1)
        let run = try Self.queue(in: first, count: 1)
        let queue = try #require(first.store as? any RunStore & WorkQueue)
        let bo = try await first.signedIn("bo")
        let (path, _) = try await SupervisingTests.next(bo)
        _ = try await bo.post(path, ["kind": "ask", "text": "fact 1"])
        #expect(try await SupervisingTests.next(bo).page.body.contains(HTML.escape(SupervisingTests.facts[0])))
        let abandoned = try #require(await Self.queued(first).leases.first)

        // The server stops with the question unanswered: it stays leased until its lease runs out.
        try await Task.sleep(for: .seconds(1.5))
        #expect(try queue.workCounts(run: run).leased == 1, "the lease is renewed while the server runs")
        await first.stop()
        #expect(await first.web.app.desk.waitingWorkspaces(of: run).isEmpty)
        #expect(try queue.workCounts(run: run).leased == 1)

        let second = try await WebFixture(restarting: first, queuedQuestionLease: 1)
        defer { Task { await second.stop() } }
        let again = try await second.signedIn("bo")
        var (next, page) = try await SupervisingTests.next(again)
        #expect(next == "/work/\(run)/1", "the question goes on where the first server left it, on the server that claimed it again")
        #expect(page.body.contains(HTML.escape(SupervisingTests.facts[0])), "the lookup made on the first server is kept")
        #expect(try queue.complete(abandoned, workspaces: []) == nil, "the first claim's late completion is refused")
        _ = try await again.post(next, ["kind": "ask", "text": "fact 2"])
        (next, page) = try await SupervisingTests.next(again)
        _ = try await again.post(next, ["kind": "answer", "text": "Tuesday"])

        #expect(try await Self.eventually { try second.store.run(id: run).status == .completed })
        let stored = try second.store.workspaces(run: run)
        #expect(stored.map(\.id) == ["1"])
        #expect(stored.first?.answer?.contains("Tuesday") == true)
        #expect(
            stored.first.map { $0.detail.contains(SupervisingTests.facts[0]) && $0.detail.contains(SupervisingTests.facts[1]) } == true,
            "the tree stored has the lookup made on each server: \(stored.first?.detail ?? "")")
        #expect(try second.store.audit(run: run).filter { $0.action == .lookup }.count == 2)
    }

    @Test func aQuestionTakenFromTheServerLeavesItsDesk() async throws {
        let fixture = try await WebFixture(.postgres, queuedQuestionLease: 1)
        defer { Task { await fixture.stop() } }
        let run = try Self.queue(in: fixture, count: 1)
        let queue = try #require(fixture.store as? any RunStore & WorkQueue)
        let bo = try await fixture.signedIn("bo")
        let (path, _) = try await SupervisingTests.next(bo)
        #expect(await fixture.web.app.desk.waitingWorkspaces(of: run).map(\.node) == [WorkspaceID(root: 1)])

        // The item is ended under the server (as an operator retiring the run's items would):
        // its next renewal is refused, and the question leaves the desk.
        try queue.retireItems(run: run)
        #expect(try await Self.eventually { await fixture.web.app.desk.waitingWorkspaces(of: run).isEmpty })
        #expect(try await Self.eventually { await Self.queued(fixture).leases.isEmpty })
        let refused = try await bo.post(path, ["kind": "answer", "text": "Tuesday"])
        #expect(refused.status == .conflict && refused.body.contains("not waiting"))
        #expect(try fixture.store.workspaces(run: run).isEmpty, "nothing of the question is stored")
    }

    /// An action on a question whose item another claim takes while the action is stored is
    /// refused, never acknowledged: its save is fenced out, and the next claim goes on without it.
    @Test func anActionWhoseSaveIsFencedOutIsRefused() async throws {
        let fixture = try await WebFixture(.postgres, queuedQuestionLease: 60)
        defer { Task { await fixture.stop() } }
        let run = try Self.queue(in: fixture, count: 1)
        let queue = try #require(fixture.store as? any RunStore & WorkQueue)
        let bo = try await fixture.signedIn("bo")
        let (path, _) = try await SupervisingTests.next(bo)
        // Ended under the server a moment before bo acts, long before its next renewal (20 s).
        try queue.retireItems(run: run)
        let refused = try await bo.post(path, ["kind": "ask", "text": "fact 1"])
        #expect(refused.status == .unprocessableContent && refused.body.contains("your action was not stored"), "\(refused.status) \(refused.body)")
        #expect(try await Self.eventually { await fixture.web.app.desk.waitingWorkspaces(of: run).isEmpty })
        #expect(try fixture.store.audit(run: run).filter { $0.action == .lookup }.isEmpty, "the audit log has no action that was refused")
    }
}

/// `ida serve --claim-queued` processes killed with SIGKILL while a person works a shared run's
/// questions, on a real PostgreSQL server.
@Suite(.enabled(if: StoreBackend.server != nil, "IDA_POSTGRES_TEST_URL names no server"), .serialized)
struct QueuedQuestionsKillTests {
    /// A running `ida serve` and its port; killed with SIGKILL when the value goes.
    final class Server {
        let process: Process
        let port: Int
        let output: (URL, URL)
        var printed: String {
            [output.0, output.1].compactMap { try? String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
        }

        init(database: FreshDatabase) async throws {
            let (process, out, err) = try IDAProcess.start(
                ["serve", "--db", database.locator, "--port", "0", "--claim-queued", "--lease", "2"], in: database.directory.url)
            self.process = process
            output = (out, err)
            let listening = "listening on http://127.0.0.1:"
            guard try await IDAProcess.waitFor(listening, in: out, of: process, seconds: 120),
                let line = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").first(where: { $0.contains(listening) }),
                let port = Int(line.split(separator: ":").last ?? "")
            else {
                throw ServerError.didNotStart((try? String(contentsOf: err, encoding: .utf8)) ?? "")
            }
            self.port = port
        }

        func kill() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        deinit {
            if process.isRunning { kill() }
        }
    }

    enum ServerError: Error {
        case didNotStart(String)
    }

    /// What bo does on a question's page, given the facts already shown on it: look up the next
    /// one, or answer.
    static let plan: [(question: String, facts: [String], answer: String)] = [
        ("Which day is the meeting?", Array(SupervisingTests.facts[0...1]), "Tuesday"),
        ("What colour is the door?", [SupervisingTests.facts[2]], "teal"),
        ("How many wheels has the cart?", ["The cart has four wheels."], "four"),
    ]

    @Test(.timeLimit(.minutes(3))) func serversKilledMidQuestionLoseNoActionTheyAcknowledged() async throws {
        let database = try FreshDatabase(.postgres)
        let store = try database.open()
        try Accounts(store: store, hasher: PasswordHasher(cost: 4)).add(name: "bo", role: .supervisor, password: WebFixture.password)
        let queue = try #require(store as? any RunStore & WorkQueue)
        let questions = try QuestionFile.parse(
            SupervisingTests.questions + "\n" + #"{"question": "How many wheels has the cart?", "facts": ["The cart has four wheels."], "answer": "four"}"#)
        let run = try SharedAmplification.enqueue(.text(TextJob(questions: questions, depth: 1, assistant: .hch)), in: queue).run

        var server = try await Server(database: database)
        var bo = Browser(port: server.port)
        try await bo.signIn("bo", password: WebFixture.password)
        // The facts each question has had looked up, as acknowledged to bo.
        var looked: [String: Int] = [:]
        var (acknowledged, kills) = (0, 0)
        var answered = 0
        while answered < Self.plan.count {
            let (path, page): (String, Browser.Page)
            do {
                // A question held by a killed server is handed out again once its lease runs out.
                (path, page) = try await SupervisingTests.next(bo)
            } catch {
                Issue.record("after \(acknowledged) actions and \(kills) kills, \(try queue.workCounts(run: run)): \(server.printed)")
                throw error
            }
            let (question, facts, answer) = try #require(Self.plan.first { page.body.contains($0.question) }, "\(page.body)")
            let shown = facts.filter { page.body.contains(HTML.escape($0)) }.count
            #expect(shown == looked[question, default: 0], "\(question): every lookup acknowledged is on the page, and no other")
            let action = shown < facts.count ? ["kind": "ask", "text": "fact \(shown + 1)"] : ["kind": "answer", "text": answer]
            let acted = try await bo.post(path, action)
            #expect(acted.status == .seeOther, "acknowledged: \(acted.status) \(acted.body)")
            acknowledged += 1
            if action["kind"] == "ask" { looked[question, default: 0] += 1 } else { answered += 1 }
            if acknowledged % 2 == 0, answered < Self.plan.count {
                server.kill()
                kills += 1
                server = try await Server(database: database)
                bo = Browser(port: server.port)
                try await bo.signIn("bo", password: WebFixture.password)
            }
        }
        // The last answer is acknowledged once saved, and its question stored a moment later; a
        // question whose answer was saved before a kill, but not stored, is stored by the next
        // server that claims work for someone.
        #expect(
            try await QueuedQuestionsTests.eventually(seconds: 20) {
                _ = try await bo.get("/work")
                return try store.run(id: run).status == .completed
            })
        server.kill()

        #expect(acknowledged == 7 && kills == 3, "4 lookups and 3 answers, each taken once")
        let counts = try queue.workCounts(run: run)
        #expect(counts.done == 3 && counts.claims > 3, "questions held by a killed server were claimed again: \(counts)")
        let roots = try store.workspaces(run: run).sorted { $0.id < $1.id }
        #expect(roots.map(\.id) == ["1", "2", "3"])
        #expect(roots.map(\.answeredBy) == ["person:bo", "person:bo", "person:bo"])
        for (root, planned) in zip(roots, Self.plan) {
            #expect(root.answer?.contains(planned.answer) == true)
            #expect(planned.facts.allSatisfy(root.detail.contains), "\(root.id)'s lookups are in its stored tree")
        }
        let audit = try store.audit(run: run)
        #expect(audit.filter { $0.action == .lookup }.count == 4 && audit.filter { $0.action == .answer }.count == 3)
    }
}
