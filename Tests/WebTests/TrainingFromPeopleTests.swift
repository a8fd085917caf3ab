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
    @Test func everyDemonstrationHPrimeLearnsFromIsAPersons() async throws {
        let fixture = try await WebFixture()
        defer { Task { await fixture.stop() } }
        let ada = try await fixture.signedIn("ada")
        _ = try await ada.get("/")
        let refused = try await ada.post("/runs/train", ["task": "permutation", "preset": "tiny", "steps": "0", "seed": "1"])
        #expect(refused.status == .unprocessableContent && refused.body.contains("The steps must be"))
        let started = try await ada.post("/runs/train", ["task": "permutation", "preset": "tiny", "steps": "20", "seed": "1"])
        let location = try #require(started.location, "the training did not start: \(started.body)")
        let run = String(location.dropFirst("/runs/".count))
        #expect(try await ada.get("/").body.contains(run), "the home page lists it")

        // bo types the scripted expert's action in every workspace handed to him.
        let task = try TaskCatalog.task(named: "permutation", preset: "tiny")
        let (domain, expert) = (TaskDomain(task), ScriptedExpert(task: task))
        let bo = try await fixture.signedIn("bo")
        var actions = 0
        var pages: Set<String> = []
        while try fixture.store.run(id: run).status == .running, actions < 2_000 {
            let next = try await bo.get("/work")
            guard let path = next.location else {
                try await Task.sleep(for: .milliseconds(10))
                continue
            }
            let shown = try await bo.get(path)
            let parts = path.split(separator: "/")
            let key = PersonDesk.Key(run: String(parts[1]), node: try #require(WorkspaceID(String(parts[2]))))
            #expect(key.run == run)
            let workspace = try await fixture.web.app.desk.open(key, for: "bo").workspace
            #expect(shown.body.contains(HTML.escape(domain.render(workspace.question))))
            if workspace.exchanges.isEmpty { #expect(pages.insert(path).inserted, "each demonstration has a page of its own: \(path)") }
            let action = expert.action(on: workspace)
            let kind = if case .ask = action { "ask" } else { "answer" }
            #expect(try await bo.post(path, ["kind": kind, "text": domain.render(action.content)]).status == .seeOther)
            actions += 1
        }
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
