import Amplification
import Application
import Foundation
import Store
import StoreTestSupport
import Tasks
import Testing

@testable import Web

/// H′ learning from people: a researcher starts IA with a learned supervisor on a task, and every
/// demonstration H′ trains on is given by a person through the pages.
@Suite struct TrainingFromPeopleTests {
    /// Starts a training of `steps` steps on permutation (tiny) as ada; returns its group run.
    static func start(in fixture: WebFixture, steps: Int) async throws -> String {
        let ada = try await fixture.signedIn("ada")
        _ = try await ada.get("/")
        let started = try await ada.post("/runs/train", ["task": "permutation", "preset": "tiny", "steps": "\(steps)", "seed": "1"])
        let location = try #require(started.location, "the training did not start: \(started.body)")
        return String(location.dropFirst("/runs/".count))
    }

    /// What ``demonstrate(_:as:run:in:limit:)`` did: its actions, and the pages of the
    /// workspaces it saw first (no exchange yet), one per demonstration.
    struct Demonstrated {
        var actions = 0
        var pages: Set<String> = []
    }

    /// `person` types the scripted expert's action in the workspaces handed to them, each shown
    /// in the task's words, `limit` times or until `run` is no longer running (or nothing is
    /// handed out for 2 minutes: a guard against a hang, not a pace; on a loaded machine a
    /// training can go seconds between workspaces, and a person who leaves early leaves it
    /// waiting for ever).
    @discardableResult
    static func demonstrate(_ person: Browser, as name: String, run: String, in fixture: WebFixture, limit: Int = 2_000) async throws
        -> Demonstrated
    {
        let task = try TaskCatalog.task(named: "permutation", preset: "tiny")
        let (domain, expert) = (TaskDomain(task), ScriptedExpert(task: task))
        var done = Demonstrated()
        var handedOut = Date()
        while try fixture.store.run(id: run).status == .running, done.actions < limit, Date().timeIntervalSince(handedOut) < 120 {
            guard let path = try await person.get("/work").location else {
                try await Task.sleep(for: .milliseconds(10))
                continue
            }
            handedOut = Date()
            let shown = try await person.get(path)
            let parts = path.split(separator: "/")
            let key = PersonDesk.Key(run: String(parts[1]), node: try #require(WorkspaceID(String(parts[2]))))
            #expect(key.run == run)
            let workspace = try await fixture.web.app.desk.open(key, for: name).workspace
            #expect(shown.body.contains(HTML.escape(domain.render(workspace.question))))
            if workspace.exchanges.isEmpty {
                #expect(done.pages.insert(path).inserted, "each demonstration has a page of its own: \(path)")
            }
            let action = expert.action(on: workspace)
            let kind = if case .ask = action { "ask" } else { "answer" }
            let acted = try await person.post(path, ["kind": kind, "text": domain.render(action.content)])
            #expect(acted.status == .seeOther, "\(acted.status) \(acted.body)")
            done.actions += 1
        }
        return done
    }

    /// Paused, a training starts no step and hands nothing out; a restarted server goes on with
    /// it (paused again until resumed) and people finish it; a stopped one ends with its sides.
    @Test(arguments: StoreBackend.available)
    func aTrainingPausesGoesOnAfterARestartAndStops(backend: StoreBackend) async throws {
        let first = try await WebFixture(backend)
        let run = try await Self.start(in: first, steps: 20)
        let bo = try await first.signedIn("bo")
        #expect(try await Self.demonstrate(bo, as: "bo", run: run, in: first, limit: 40).actions == 40)
        let undo = try await bo.post("/work/undo")
        #expect(undo.status == .conflict && undo.body.contains("demonstration"), "a demonstration's action is not undone")
        let ada = try await first.signedIn("ada")
        _ = try await ada.get("/runs/\(run)")
        #expect(try await ada.post("/runs/\(run)/pause").status == .seeOther)
        let training = try #require(await first.web.app.host.training(run))
        let before = await training.sides.map(\.step)
        #expect(try await bo.get("/work").location == nil, "a paused training hands nothing out")
        try await Task.sleep(for: .milliseconds(300))
        #expect(await training.sides.map(\.step) == before, "and starts no step")
        await first.stop()

        let second = try await WebFixture(restarting: first)
        defer { Task { await second.stop() } }
        #expect(second.resumed == [run])
        let again = try await second.signedIn("bo")
        #expect(try await again.get("/work").location == nil, "paused again after the restart")
        let researcher = try await second.signedIn("ada")
        _ = try await researcher.get("/runs/\(run)")
        #expect(try await researcher.post("/runs/\(run)/resume").status == .seeOther)
        try await Self.demonstrate(again, as: "bo", run: run, in: second)
        await second.web.app.host.waitUntilDone(run)
        let failure = await second.web.app.host.training(run)?.failure
        #expect(try second.store.run(id: run).status == .completed, "\(failure ?? "")")
        let report = try #require(TrainingJob.report(of: run, in: second.store).reports.first)
        #expect(report.ia.counters.expertCalls > 0 && (report.asker?.demonstrations ?? 0) > 0)

        let stopped = try await Self.start(in: second, steps: 20)
        try await Self.demonstrate(again, as: "bo", run: stopped, in: second, limit: 5)
        _ = try await researcher.get("/runs/\(stopped)")
        #expect(try await researcher.post("/runs/\(stopped)/stop").status == .seeOther)
        #expect(try second.store.run(id: stopped).status == .interrupted)
        let sides = try second.store.runs().filter { $0.parentID == stopped }
        #expect(sides.first { $0.kind == .ia }?.status == .interrupted)
        #expect(sides.allSatisfy { $0.status == .interrupted || $0.status == .completed }, "\(sides.map(\.status))")
        #expect(try await again.get("/work").location == nil)
    }

    @Test func everyDemonstrationHPrimeLearnsFromIsAPersons() async throws {
        let fixture = try await WebFixture()
        defer { Task { await fixture.stop() } }
        let ada = try await fixture.signedIn("ada")
        _ = try await ada.get("/")
        let refused = try await ada.post("/runs/train", ["task": "permutation", "preset": "tiny", "steps": "0", "seed": "1"])
        #expect(refused.status == .unprocessableContent && refused.body.contains("The steps must be"))
        let run = try await Self.start(in: fixture, steps: 20)
        #expect(try await ada.get("/").body.contains(run), "the home page lists it")

        // bo types the scripted expert's action in every workspace handed to him.
        let bo = try await fixture.signedIn("bo")
        let done = try await Self.demonstrate(bo, as: "bo", run: run, in: fixture)
        let (actions, pages) = (done.actions, done.pages)
        await fixture.web.app.host.waitUntilDone(run)
        let failure = await fixture.web.app.host.training(run)?.failure
        #expect(try fixture.store.run(id: run).status == .completed, "\(failure ?? "")")

        // The report: H′ trained on people's demonstrations, each expert call a person's action.
        let report = try #require(TrainingJob.report(of: run, in: fixture.store).reports.first)
        #expect(report.supervisor == "people")
        let asker = try #require(report.asker)
        #expect(asker.demonstrations == pages.count && asker.demonstrations > 0 && asker.steps > 0)
        #expect(report.ia.counters.expertCalls == actions, "every expert call is one of bo's actions")
        let audit = try fixture.store.audit(run: run)
        #expect(audit.count { [.ask, .lookup, .answer].contains($0.action) && $0.user == "bo" } == actions)
        let ia = try #require(try fixture.store.runs().first { $0.parentID == run && $0.kind == .ia })
        #expect(try fixture.store.counters(run: ia.id)?.supervisor == .learned, "H′ is IA's supervisor")
        let page = try await ada.get("/runs/\(run)")
        #expect(page.body.contains("H′ learning from people") && page.body.contains("People's actions (the expert calls): \(actions)"))
        #expect(page.body.contains("\(asker.demonstrations) demonstrations from people"))
    }
}
