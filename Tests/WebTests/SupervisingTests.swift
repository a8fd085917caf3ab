import Amplification
import Application
import Foundation
import Store
import Tasks
import StoreTestSupport
import Testing

@testable import Web

/// People working a run through the pages, on a real server: taking workspaces, asking, looking
/// up, answering; facts stay hidden until looked up; pausing, stopping and a restart.
@Suite struct SupervisingTests {
    /// Two questions whose facts no page may show before someone looks them up.
    static let questions = """
        {"question": "Which day is the meeting?", "facts": ["The meeting is the day after the launch.", "The launch is on Monday."], "answer": "Tuesday"}
        {"question": "What colour is the door?", "facts": ["The door is painted teal."], "answer": "teal"}
        """
    static let facts = ["The meeting is the day after the launch.", "The launch is on Monday.", "The door is painted teal."]

    /// Starts a run of ``questions`` as `ada` and returns its id.
    static func startRun(in fixture: WebFixture, depth: Int = 1) async throws -> String {
        let ada = try await fixture.signedIn("ada")
        _ = try await ada.get("/")
        let started = try await ada.post("/runs", ["questions": questions, "depth": "\(depth)"])
        let location = try #require(started.location, "the run did not start: \(started.body)")
        return String(location.dropFirst("/runs/".count))
    }

    /// The workspace page `browser` is sent to by "next workspace", once there is one (within 2
    /// minutes: a guard against a hang, not a pace, as a loaded machine's run can be slow to
    /// hand out its first workspace).
    static func next(_ browser: Browser) async throws -> (path: String, page: Browser.Page) {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let page = try await browser.get("/work")
            if let location = page.location { return (location, try await browser.get(location)) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw WebFixtureError.noWorkspace(page: try await browser.get("/work").body)
    }

    @Test(arguments: StoreBackend.available)
    func aPersonAsksLooksUpAndAnswersUntilTheRunIsComplete(backend: StoreBackend) async throws {
        let fixture = try await WebFixture(backend)
        defer { Task { await fixture.stop() } }
        let run = try await Self.startRun(in: fixture)
        let bo = try await fixture.signedIn("bo")

        // Question 1: look up both facts, then answer.
        var (path, page) = try await Self.next(bo)
        #expect(path.hasPrefix("/work/\(run)/"))
        #expect(page.body.contains("Which day is the meeting?") || page.body.contains("What colour is the door?"))
        var done = 0
        while done < 2 {
            if page.body.contains("Which day is the meeting?") {
                _ = try await bo.post(path, ["kind": "ask", "text": "fact 1"])
                (path, page) = try await Self.next(bo)
                #expect(page.body.contains(HTML.escape(Self.facts[0])), "the fact looked up is shown")
                _ = try await bo.post(path, ["kind": "ask", "text": "fact 2"])
                (path, page) = try await Self.next(bo)
                #expect(page.body.contains(HTML.escape(Self.facts[1])))
                _ = try await bo.post(path, ["kind": "answer", "text": "Tuesday"])
            } else {
                let refused = try await bo.post(path, ["kind": "answer", "text": "   "])
                #expect(refused.status == .unprocessableContent && refused.body.contains("empty"), "a blank answer is refused in place")
                _ = try await bo.post(path, ["kind": "ask", "text": "fact 1"])
                (path, page) = try await Self.next(bo)
                _ = try await bo.post(path, ["kind": "answer", "text": "teal"])
            }
            done += 1
            if done < 2 { (path, page) = try await Self.next(bo) }
        }

        await fixture.web.app.host.waitUntilDone(run)
        #expect(try fixture.store.run(id: run).status == .completed)
        let answers = try fixture.store.workspaces(run: run).filter { $0.parentID == nil }.map(\.answer)
        #expect(answers.count == 2 && answers[0]?.contains("Tuesday") == true && answers[1]?.contains("teal") == true)
        #expect(
            try fixture.store.workspaces(run: run).filter { $0.parentID == nil }.map(\.answeredBy) == ["person:bo", "person:bo"],
            "each answer is recorded as the person's who gave it")
        let audit = try fixture.store.audit(run: run)
        #expect(audit.filter { $0.action == .lookup }.count == 3)
        #expect(audit.filter { $0.action == .answer }.map(\.detail).sorted() == ["Tuesday", "teal"])
        #expect(audit.allSatisfy { $0.action == .startRun || $0.user == "bo" })
        #expect(audit.filter { $0.action == .refused }.count == 1, "the refused blank answer is logged")
        #expect(
            audit.filter { $0.action == .take }.count == 2,
            "each question's workspace is logged as taken once, however often its page was shown: \(audit.map(\.action))")

        let summary = try PeopleRunSummary.of(run: run, in: fixture.store)
        #expect(summary.humanActions == 5 && summary.humanLookups == 3 && summary.humanAnswers == 2)
        #expect(summary.supervisorActions == 5 && summary.otherActions == 0, "every action the engine counted was a person's")
        #expect(summary.people == ["bo"] && summary.accuracy == 1)
        let ada = try await fixture.signedIn("ada")
        let runPage = try await ada.get("/runs/\(run)")
        #expect(runPage.body.contains("2 of 2 right (100 %)") && runPage.body.contains("<td>5 (2 answers, 0 undone)</td>"))
        let actions = audit.filter { [.lookup, .answer].contains($0.action) }
        #expect(actions.count == 5 && actions.allSatisfy { ($0.seconds ?? -1) >= 0 }, "each action logs the time spent on it")
        _ = try await ada.get("/users")
        let person = try await ada.get("/people/bo")
        #expect(person.status == .ok && person.body.contains("5 actions on workspaces in 1 runs"))
        #expect(try await ada.get("/people/nobody").status == .notFound)
    }
}

/// What a person may see of the hidden facts: only what they looked up themselves.
@Suite struct HiddenFactTests {
    /// Every page a session received, and every page its links reach, with the facts in none
    /// of them but `allowed`.
    static func crawl(_ browser: Browser, allowed: Set<String>) async throws -> Int {
        var seen: Set<String> = []
        var pending = ["/", "/work"]
        while let path = pending.popLast(), seen.count < 100 {
            guard seen.insert(path).inserted else { continue }
            let page = try await browser.get(path)
            if let location = page.location, location.hasPrefix("/") { pending.append(location) }
            var rest = page.body[...]
            while let range = rest.range(of: "href=\"") {
                let link = String(rest[range.upperBound...].prefix { $0 != "\"" })
                if link.hasPrefix("/") && !link.hasPrefix("/static") { pending.append(link) }
                rest = rest[range.upperBound...]
            }
        }
        for page in browser.received {
            for fact in SupervisingTests.facts where !allowed.contains(fact) {
                #expect(!page.contains(HTML.escape(fact)) && !page.contains(fact), "a page showed a fact not looked up: \(fact)")
            }
        }
        return seen.count
    }

    @Test func aFactIsShownOnlyToWhoeverLookedItUp() async throws {
        let fixture = try await WebFixture()
        defer { Task { await fixture.stop() } }
        try Accounts(store: fixture.store, hasher: PasswordHasher(cost: 4)).add(name: "cy", role: .supervisor, password: WebFixture.password)
        let run = try await SupervisingTests.startRun(in: fixture)
        let bo = try await fixture.signedIn("bo")
        let cy = try await fixture.signedIn("cy")

        // bo takes the first workspace, looks up its first fact, and hands it on.
        var (path, page) = try await SupervisingTests.next(bo)
        let meeting = page.body.contains("Which day is the meeting?")
        let fact = meeting ? SupervisingTests.facts[0] : SupervisingTests.facts[2]
        _ = try await bo.post(path, ["kind": "ask", "text": "fact 1"])
        (path, page) = try await SupervisingTests.next(bo)
        #expect(page.body.contains(HTML.escape(fact)))
        #expect(try await bo.post(path + "/skip").status == .seeOther)

        // cy gets it (the oldest free one is the other question: take until it comes).
        var cyPage = try await SupervisingTests.next(cy)
        if cyPage.path != path {
            _ = try await cy.post(cyPage.path + "/skip")
            cyPage = try await SupervisingTests.next(cy)
        }
        #expect(cyPage.path == path)
        #expect(cyPage.page.body.contains("hidden: looked up by someone else"))
        #expect(!cyPage.page.body.contains(HTML.escape(fact)))
        let cyPages = try await Self.crawl(cy, allowed: [])
        #expect(cyPages >= 3)

        // Looking it up shows it, and is logged as cy's lookup.
        _ = try await cy.post(path + "/reveal", ["position": "0"])
        let revealed = try await cy.get(path)
        #expect(revealed.body.contains(HTML.escape(fact)))
        let lookups = try fixture.store.audit(run: run).filter { $0.action == .lookup || $0.action == .reveal }
        #expect(lookups.map(\.user) == ["bo", "cy"] && lookups.map(\.action) == [.lookup, .reveal])
        #expect(Set(lookups.map(\.detail)) == ["fact 1"])

        _ = try await Self.crawl(bo, allowed: [fact])
    }
}

/// A researcher stays in control: pause, resume, stop; and a restarted server goes on.
@Suite struct ControlTests {
    @Test(arguments: StoreBackend.available)
    func aPausedRunHandsOutNothingAndTakesNoActionUntilResumed(backend: StoreBackend) async throws {
        let fixture = try await WebFixture(backend)
        defer { Task { await fixture.stop() } }
        let run = try await SupervisingTests.startRun(in: fixture)
        let ada = try await fixture.signedIn("ada")
        let bo = try await fixture.signedIn("bo")
        let (path, _) = try await SupervisingTests.next(bo)

        _ = try await ada.get("/runs/\(run)")
        #expect(try await ada.post("/runs/\(run)/pause").status == .seeOther)
        #expect(try await ada.get("/runs/\(run)").body.contains("paused"))
        let refused = try await bo.post(path, ["kind": "ask", "text": "fact 1"])
        #expect(refused.status == .unprocessableContent || refused.status == .conflict)
        #expect(refused.body.contains("paused"))
        #expect(try await bo.get("/work").location == nil, "a paused run hands nothing out")
        #expect(try fixture.store.audit(run: run).filter { $0.action == .lookup }.isEmpty)

        _ = try await ada.get("/runs/\(run)")
        #expect(try await ada.post("/runs/\(run)/resume").status == .seeOther)
        let (again, _) = try await SupervisingTests.next(bo)
        #expect(again == path, "the workspace comes back to whoever held it")
        #expect(try await bo.post(path, ["kind": "ask", "text": "fact 1"]).status == .seeOther)

        _ = try await ada.get("/runs/\(run)")
        #expect(try await ada.post("/runs/\(run)/stop").status == .seeOther)
        #expect(try fixture.store.run(id: run).status == .interrupted)
        #expect(try await bo.get("/work").location == nil)
        #expect(try fixture.store.audit(run: run).map(\.action).filter { [.pause, .resume, .stop].contains($0) } == [.pause, .resume, .stop])
    }

    @Test(arguments: StoreBackend.available)
    func aRestartedServerResumesTheRunAndPeopleGoOn(backend: StoreBackend) async throws {
        let first = try await WebFixture(backend)
        let run = try await SupervisingTests.startRun(in: first)
        let bo = try await first.signedIn("bo")
        var (path, _) = try await SupervisingTests.next(bo)
        _ = try await bo.post(path, ["kind": "ask", "text": "fact 1"])
        await first.stop()
        #expect(try first.store.run(id: run).status == .running, "a server that stops leaves its runs running")

        let second = try await WebFixture(restarting: first)
        defer { Task { await second.stop() } }
        #expect(second.resumed == [run])
        let again = try await second.signedIn("bo")
        var page: Browser.Page
        (path, page) = try await SupervisingTests.next(again)
        var answered = 0
        while answered < 2 {
            let answer = page.body.contains("Which day") ? "Tuesday" : "teal"
            #expect(try await again.post(path, ["kind": "answer", "text": answer]).status == .seeOther)
            answered += 1
            if answered < 2 { (path, page) = try await SupervisingTests.next(again) }
        }
        await second.web.app.host.waitUntilDone(run)
        #expect(try second.store.run(id: run).status == .completed)
        let looked = [SupervisingTests.facts[0], SupervisingTests.facts[2]].map(HTML.escape)
        #expect(
            again.received.contains { page in looked.contains { page.contains($0) } },
            "the lookup made before the restart is still in its workspace, shown to whoever made it")
        #expect(try second.store.audit(run: run).filter { $0.action == .lookup }.count == 1)
    }
}

/// A researcher corrects a stored answer through the pages.
@Suite struct CorrectionPageTests {
    @Test(arguments: StoreBackend.available)
    func aCorrectionIsAVersionInTheAuditAndAWrongOneIsRefusedInPlace(backend: StoreBackend) async throws {
        let fixture = try await WebFixture(backend)
        defer { Task { await fixture.stop() } }
        let run = try await SupervisingTests.startRun(in: fixture, depth: 0)
        let bo = try await fixture.signedIn("bo")
        for _ in 0..<2 {
            let (path, page) = try await SupervisingTests.next(bo)
            _ = try await bo.post(path, ["kind": "answer", "text": page.body.contains("Which day") ? "Monday" : "teal"])
        }
        await fixture.web.app.host.waitUntilDone(run)

        let ada = try await fixture.signedIn("ada")
        let runPage = try await ada.get("/runs/\(run)")
        #expect(runPage.body.contains("/runs/\(run)/nodes/1\""))
        _ = try await ada.get("/runs/\(run)/nodes/1")
        let blank = try await ada.post("/runs/\(run)/nodes/1/correct", ["answer": "  ", "reason": ""])
        #expect(blank.status == .unprocessableContent && blank.body.contains("empty"))
        _ = try await ada.get("/runs/\(run)/nodes/1")
        let same = try await ada.post("/runs/\(run)/nodes/1/correct", ["answer": "Monday"])
        #expect(same.status == .unprocessableContent && same.body.contains("already answers"))
        _ = try await ada.get("/runs/\(run)/nodes/1")
        let done = try await ada.post("/runs/\(run)/nodes/1/correct", ["answer": "Tuesday", "reason": "the day after the launch"])
        #expect(done.status == .seeOther)
        let node = try await ada.follow(done)
        #expect(node.body.contains("v1") && node.body.contains("Monday") && node.body.contains("Tuesday"))
        let runPageAfter = try await ada.get("/runs/\(run)")
        #expect(runPageAfter.body.contains("corrected (v1)"))
        #expect(runPage.body.contains("1 of 2 right") && runPageAfter.body.contains("2 of 2 right"), "accuracy counts the correction")
        #expect(try PeopleRunSummary.of(run: run, in: fixture.store).corrections == 1)
        let corrections = try fixture.store.corrections(run: run)
        #expect(corrections.map(\.author) == ["ada"] && corrections[0].before?.contains("Monday") == true)
        #expect(try fixture.store.audit(run: run).last?.action == .correct)
    }
}

/// HCH on one of the paper's tasks, worked by a person through the pages: typing what the
/// scripted expert would do in each workspace grows the expert's tree.
@Suite struct TaskRunTests {
    @Test(arguments: ["wildcard", "union-find"])
    func aPersonTypingTheExpertsStepsGrowsTheExpertsTree(task name: String) async throws {
        let fixture = try await WebFixture()
        defer { Task { await fixture.stop() } }
        let ada = try await fixture.signedIn("ada")
        _ = try await ada.get("/")
        let started = try await ada.post("/runs", ["task": name, "preset": "small", "instances": "1", "depth": "1", "seed": "3"])
        let location = try #require(started.location, "the run did not start: \(started.body)")
        let run = String(location.dropFirst("/runs/".count))

        let task = try TaskCatalog.task(named: name, preset: "small")
        let (domain, expert) = (TaskDomain(task), ScriptedExpert(task: task))
        let bo = try await fixture.signedIn("bo")
        var actions = 0
        while try fixture.store.run(id: run).status == .running {
            let page = try await bo.get("/work")
            guard let path = page.location else {
                try await Task.sleep(for: .milliseconds(20))
                continue
            }
            let shown = try await bo.get(path)
            let parts = path.split(separator: "/")
            let key = PersonDesk.Key(run: String(parts[1]), node: try #require(WorkspaceID(String(parts[2]))))
            let workspace = try await fixture.web.app.desk.open(key, for: "bo").workspace
            #expect(shown.body.contains(HTML.escape(domain.render(workspace.question))), "the page shows the question in the task's words")
            let action = expert.action(on: workspace)
            let typed = domain.render(action.content)
            let kind = if case .ask = action { "ask" } else { "answer" }
            #expect(try await bo.post(path, ["kind": kind, "text": typed]).status == .seeOther)
            actions += 1
            if actions > 500 { break }
        }
        await fixture.web.app.host.waitUntilDone(run)
        #expect(try fixture.store.run(id: run).status == .completed)

        let reference = try await AmplificationJob(task: name, preset: "small", seed: 3, instances: 1, depth: 1)
            .start(in: fixture.store, supervisor: expert)
        let byPeople = try StoredTree.trees(run: run, unknown: domain.unknownAnswer, in: fixture.store)
        let byExpert = try StoredTree.trees(run: reference.run, unknown: domain.unknownAnswer, in: fixture.store)
        #expect(byPeople.map(\.answer) == byExpert.map(\.answer))
        #expect(byPeople.map(\.nodeCount) == byExpert.map(\.nodeCount))
        let summary = try PeopleRunSummary.of(run: run, in: fixture.store)
        #expect(summary.humanActions == actions && summary.humanActions == reference.result.counters.supervisorActions)
        #expect(summary.scoredQuestions == byExpert.count)
    }
}

/// A corrected answer's stale ancestors are worked again by people, deepest first.
@Suite struct RecomputeTests {
    @Test(arguments: StoreBackend.available)
    func staleAnswersAreOfferedAgainDeepestFirstUntilNoneIsStale(backend: StoreBackend) async throws {
        let fixture = try await WebFixture(backend)
        defer { Task { await fixture.stop() } }
        let ada = try await fixture.signedIn("ada")
        _ = try await ada.get("/")
        let started = try await ada.post(
            "/runs", ["questions": #"{"question": "Top?", "facts": ["F"], "answer": "yes"}"#, "depth": "2"])
        let run = String(try #require(started.location).dropFirst("/runs/".count))
        let bo = try await fixture.signedIn("bo")
        // 1 asks "Middle?" (1.1), which asks "Bottom?" (1.1.1), answered "no"; then each answers.
        var steps: [(String, String, String)] = [
            ("1", "ask", "Middle?"), ("1.1", "ask", "Bottom?"), ("1.1.1", "answer", "no"), ("1.1", "answer", "no"),
            ("1", "answer", "no"),
        ]
        while !steps.isEmpty {
            let (path, _) = try await SupervisingTests.next(bo)
            let (node, kind, text) = steps.removeFirst()
            #expect(path == "/work/\(run)/\(node)")
            #expect(try await bo.post(path, ["kind": kind, "text": text]).status == .seeOther)
        }
        await fixture.web.app.host.waitUntilDone(run)

        _ = try await ada.get("/runs/\(run)/nodes/1.1.1")
        #expect(try await ada.post("/runs/\(run)/nodes/1.1.1/correct", ["answer": "yes"]).status == .seeOther)
        #expect(try CorrectedTree.load(run: run, in: fixture.store).stale == [WorkspaceID("1")!, WorkspaceID("1.1")!])

        // 1.1 first, showing the corrected answer below it; asking is refused.
        var (path, page) = try await SupervisingTests.next(bo)
        #expect(path == "/work/\(run)/1.1")
        #expect(page.body.contains("give its answer again") && page.body.contains("<td>Bottom?</td><td>yes</td>"))
        let asked = try await bo.post(path, ["kind": "ask", "text": "Another?"])
        #expect(asked.status == .unprocessableContent)
        #expect(try await bo.post(path, ["kind": "answer", "text": "yes"]).status == .seeOther)
        (path, page) = try await SupervisingTests.next(bo)
        #expect(path == "/work/\(run)/1", "then the workspace above it")
        #expect(page.body.contains("<td>Middle?</td><td>yes</td>"))
        #expect(try await bo.post(path, ["kind": "answer", "text": "yes"]).status == .seeOther)

        let tree = try CorrectedTree.load(run: run, in: fixture.store)
        #expect(tree.stale.isEmpty)
        #expect(tree.latest.mapValues(\.author) == [WorkspaceID("1.1.1")!: "ada", WorkspaceID("1.1")!: "bo", WorkspaceID("1")!: "bo"])
        let export = try TrainingExport.examples(of: run, in: fixture.store, split: 1)
        #expect(export.stale == 0 && export.corrections == 3)
        #expect(try PeopleRunSummary.of(run: run, in: fixture.store).accuracy == 1, "the question is now answered right")
        #expect(try await bo.get("/work").location == nil, "nothing more to do")
    }
}
