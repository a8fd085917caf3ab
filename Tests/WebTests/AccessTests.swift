import Foundation
import Hummingbird
import Store
import Testing

@testable import Web

/// Every route of the router requires what its declaration says: walked from the router itself,
/// so a route added without a declaration, or with the wrong one, fails here.
@Suite struct AccessTests {
    /// A concrete path for a route's pattern (`{run}` → a run id that does not exist).
    static func concrete(_ pattern: String) -> String {
        let path = pattern.replacingOccurrences(of: "{run}", with: "r-20261205-00000000")
            .replacingOccurrences(of: "{node}", with: "1")
            .replacingOccurrences(of: "{token}", with: String(repeating: "0", count: 64))
            .replacingOccurrences(of: "{name}", with: "bo")
        #expect(!path.contains("{"), "a route parameter without a sample value: \(pattern)")
        return path
    }

    @Test func everyRouteOfTheRouterIsDeclaredWithItsAccess() async throws {
        let fixture = try await WebFixture()
        defer { Task { await fixture.stop() } }
        let app = WebServer(store: fixture.store).app
        let declared = Dictionary(uniqueKeysWithValues: app.routes.map { ("\($0.method) \(RouterPath($0.path))", $0.access) })
        let served = app.router().routes.map(\.description)
        #expect(Set(served) == Set(declared.keys), "the router serves exactly the declared routes")
        #expect(served.count == app.routes.count)
        #expect(declared.values.contains(.researcher) && declared.values.contains(.signedIn))
    }

    @Test func withoutASessionOnlyThePublicRoutesAnswer() async throws {
        let fixture = try await WebFixture()
        defer { Task { await fixture.stop() } }
        let app = WebServer(store: fixture.store).app
        for route in app.routes {
            let browser = fixture.browser()
            let path = Self.concrete(route.path)
            let page = route.method == .get ? try await browser.get(path) : try await browser.post(path, ["name": "x"], csrf: "")
            switch route.access {
            case .everyone:
                #expect(page.location != "/login", "\(route.method) \(route.path)")
                if route.method == .get {
                    #expect(page.status == .ok || page.status == .notFound, "\(route.method) \(route.path)")
                } else {
                    // Answered by the route itself: a form without its token is refused there.
                    #expect(page.body.contains("expired") || page.body.contains("Unknown invitation"), "\(route.method) \(route.path)")
                }
            case .signedIn, .researcher:
                if route.method == .get {
                    #expect(page.status == .found && page.location == "/login", "\(route.method) \(route.path)")
                } else {
                    #expect(page.status == .forbidden, "\(route.method) \(route.path)")
                }
                #expect(!page.body.contains("r-20261205"), "nothing of the route's subject is shown")
            }
        }
    }

    @Test func aSupervisorIsRefusedEveryResearcherRoute() async throws {
        let fixture = try await WebFixture()
        defer { Task { await fixture.stop() } }
        let bo = try await fixture.signedIn("bo")
        let app = WebServer(store: fixture.store).app
        let researcherRoutes = app.routes.filter { $0.access == .researcher }
        #expect(researcherRoutes.count >= 8)
        for route in researcherRoutes {
            _ = try await bo.get("/")  // a fresh CSRF token: the refusal is the role's, not the form's
            let path = Self.concrete(route.path)
            let page = route.method == .get ? try await bo.get(path) : try await bo.post(path, ["name": "eve", "questions": "x"])
            #expect(page.status == .forbidden, "\(route.method) \(route.path)")
        }
        #expect(try fixture.store.user(named: "eve") == nil, "the refused invitation made no account")
    }

    @Test func aSignedInPostWithoutTheSessionsTokenIsRefused() async throws {
        let fixture = try await WebFixture()
        defer { Task { await fixture.stop() } }
        let ada = try await fixture.signedIn("ada")
        _ = try await ada.get("/users")
        #expect(try await ada.post("/users", ["name": "eve"], csrf: "").status == .forbidden)
        #expect(try await ada.post("/users", ["name": "eve"], csrf: String(repeating: "f", count: 64)).status == .forbidden)
        #expect(try fixture.store.user(named: "eve") == nil)
        _ = try await ada.get("/users")
        #expect(try await ada.post("/users", ["name": "eve"]).status == .ok)
        #expect(try fixture.store.user(named: "eve")?.role == .supervisor)
    }

    @Test func signingInNeedsTheFormsTokenAndCookiesAreLockedDown() async throws {
        let fixture = try await WebFixture()
        defer { Task { await fixture.stop() } }
        let browser = fixture.browser()
        let page = try await browser.post("/login", ["name": "ada", "password": WebFixture.password], csrf: "forged")
        #expect(page.status == .forbidden, "no form cookie: a cross-site sign-in is refused")

        _ = try await browser.get("/login")
        let signedIn = try await browser.post("/login", ["name": "ada", "password": WebFixture.password])
        #expect(signedIn.status == .seeOther)
        let cookie = try #require(signedIn.setCookies.first { $0.hasPrefix(WebApp.sessionCookie + "=") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict"))
        let token = String(cookie.dropFirst(WebApp.sessionCookie.count + 1).prefix { $0 != ";" })
        #expect(try fixture.store.session(tokenHash: token, now: Date()) == nil, "the store keeps the token's hash, not the token")
        #expect(try fixture.store.session(tokenHash: Credentials.tokenHash(token), now: Date())?.user == "ada")
    }

    @Test func repeatedWrongPasswordsAreThrottled() async throws {
        let fixture = try await WebFixture()
        defer { Task { await fixture.stop() } }
        let browser = fixture.browser()
        for _ in 0..<5 {
            _ = try await browser.get("/login")
            #expect(try await browser.post("/login", ["name": "ada", "password": "wrong password"]).status == .unauthorized)
        }
        _ = try await browser.get("/login")
        let refused = try await browser.post("/login", ["name": "ada", "password": WebFixture.password])
        #expect(refused.status == .tooManyRequests, "the right password is not even checked once throttled")
        let audit = try fixture.store.audit(run: nil)
        #expect(audit.filter { $0.action == .signInRefused }.count == 6)
        #expect(!audit.contains { $0.detail.contains("wrong password") || $0.detail.contains(WebFixture.password) })
    }
}
