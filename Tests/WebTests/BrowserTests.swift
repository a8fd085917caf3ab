import Foundation
import Application
import Store
import Testing

@testable import Web

private let chromedriverFound = WebDriver.chromedriver != nil

/// The pages in a real headless Chromium: a researcher starts a run, a supervisor works it to
/// the end, the researcher sees it complete. `IDA_SCREENSHOTS=DIR` keeps the main pages as PNGs.
@Suite(.enabled(if: chromedriverFound, "needs chromedriver and chromium (scripts/test installs them)"))
struct BrowserTests {
    static let screenshots = ProcessInfo.processInfo.environment["IDA_SCREENSHOTS"]

    static func keep(_ driver: WebDriver, as name: String) async throws {
        guard let directory = screenshots else { return }
        try await driver.screenshot().write(to: URL(fileURLWithPath: directory).appendingPathComponent(name + ".png"))
    }

    static func signIn(_ driver: WebDriver, base: String, as name: String) async throws {
        try await driver.open(base + "/login")
        try await driver.type(name, into: "#name")
        try await driver.type(WebFixture.password, into: "#password")
        try await driver.click("form button")
    }

    /// Waits until the page's source satisfies `condition`, reloading `url` when given, for at
    /// most a minute (a guard against a hang: a loaded machine's pages can take seconds).
    static func waitFor(_ driver: WebDriver, reloading url: String? = nil, _ condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let url { try await driver.open(url) }
            let source = try await driver.source
            if condition(source) { return source }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await driver.source
    }

    @Test(.timeLimit(.minutes(5))) func aRunIsStartedWorkedAndFinishedInTheBrowser() async throws {
        let fixture = try await WebFixture()
        defer { Task { await fixture.stop() } }
        let base = "http://127.0.0.1:\(fixture.port)"
        let ada = try await WebDriver()
        let bo: WebDriver
        do {
            bo = try await WebDriver()
        } catch {
            await ada.quit()
            throw error
        }
        // The browsers end before the test does, whatever happens in it: a quit left to a task
        // after the test would never run once the test process exits, leaving them behind.
        do {
            try await Self.startWorkAndCorrect(fixture: fixture, base: base, ada: ada, bo: bo)
        } catch {
            await ada.quit()
            await bo.quit()
            throw error
        }
        await ada.quit()
        await bo.quit()
    }

    static func startWorkAndCorrect(fixture: WebFixture, base: String, ada: WebDriver, bo: WebDriver) async throws {
        try await Self.signIn(ada, base: base, as: "ada")
        try await Self.keep(ada, as: "runs")
        try await Self.signIn(bo, base: base, as: "bo")
        try await bo.click("a[href='/work']")
        var page = try await bo.source
        #expect(page.contains("No workspace is waiting for you"))
        #expect(page.contains("<noscript><meta http-equiv=\"refresh\""), "with JavaScript on, the waiting page does not poll")

        try await ada.type(
            #"{"question": "Which day is the meeting?", "facts": ["The meeting is the day after the launch.", "The launch is on Monday."], "answer": "Tuesday"}"#,
            into: "#questions")
        try await ada.click("form[action='/runs'] button")
        var runURL = try await ada.currentURL
        let deadline = Date().addingTimeInterval(60)
        while !runURL.contains("/runs/r-") && Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            runURL = try await ada.currentURL
        }
        let landed = try await ada.source
        #expect(runURL.contains("/runs/r-"), "the researcher lands on the new run's page: \(landed)")
        let run = String(runURL.split(separator: "/").last ?? "")

        // The supervisor's waiting page shows the workspace by itself: with JavaScript on, its
        // reload comes from the server's event (the timed reload is in <noscript>).
        page = try await Self.waitFor(bo, reloading: nil) { $0.contains("Which day is the meeting?") }
        #expect(page.contains("Which day is the meeting?"), "the waiting page did not update by itself")
        #expect(page.contains("Sub-questions left"))
        #expect(!page.contains("The launch is on Monday."), "no fact before it is looked up")
        try await Self.keep(bo, as: "workspace")

        try await bo.type("fact 2", into: "#text")
        try await bo.click("button[value='ask']")
        page = try await Self.waitFor(bo) { $0.contains("The launch is on Monday.") }
        #expect(page.contains("The launch is on Monday."), "the fact looked up is shown")
        try await bo.type("fact 1", into: "#text")
        try await bo.click("button[value='ask']")
        page = try await Self.waitFor(bo) { $0.contains("The meeting is the day after the launch.") }
        try await Self.keep(bo, as: "workspace-with-facts")
        try await bo.type("Tuesday", into: "#text")
        try await bo.click("button[value='answer']")
        page = try await Self.waitFor(bo) { $0.contains("No workspace is waiting for you") }
        #expect(page.contains("No workspace is waiting for you"))

        page = try await Self.waitFor(ada, reloading: runURL) { $0.contains("<strong>completed</strong>") }
        #expect(page.contains("<strong>completed</strong>"))
        #expect(page.contains("Tuesday"))
        try await Self.keep(ada, as: "run")
        #expect(try fixture.store.run(id: run).status == .completed)
        #expect(try fixture.store.audit(run: run).filter { $0.user == "bo" }.map(\.action).contains(.answer))

        // The researcher corrects the answer; the export trains on the correction.
        try await ada.click("a[href='/runs/\(run)/nodes/1']")
        try await ada.type("Tuesday, the day after Monday's launch", into: "#answer")
        try await ada.type("a fuller answer", into: "#reason")
        try await ada.click("form[action$='/correct'] button")
        page = try await Self.waitFor(ada) { $0.contains("v1") }
        #expect(page.contains("Tuesday, the day after Monday's launch") && page.contains("a fuller answer"))
        try await Self.keep(ada, as: "correction")
        let export = try TrainingExport.examples(of: run, in: fixture.store, split: 1)
        let answer = try #require(export.examples.first { $0.role == .answerer && $0.meta.node == "1" })
        #expect(answer.messages.last?.content == "Tuesday, the day after Monday's launch")
        #expect(answer.meta.agent == "person:ada" && answer.meta.correction == 1)
    }
}
