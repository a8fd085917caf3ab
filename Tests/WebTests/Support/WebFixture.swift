import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Store
import StoreTestSupport
import Testing

@testable import Web

/// A real server on a real port over a new database (an SQLite file, or a PostgreSQL database of
/// its own: `FreshDatabase`), with a researcher `ada` and a supervisor `bo` (bcrypt at its lowest
/// cost, so that signing in is quick).
final class WebFixture: Sendable {
    static let password = "correct horse battery"

    /// The database, shared with a fixture restarted on it, and removed when both are gone.
    let database: FreshDatabase
    var directory: URL { database.directory.url }
    /// What `--db` would name.
    var locator: String { database.locator }
    let store: any ServerStore
    let web: WebServer
    private let server: Task<Void, any Error>
    let port: Int
    let resumed: [String]

    /// Starts a server on a new database of `backend`, or on `earlier`'s database (a restart).
    init(
        _ backend: StoreBackend = .sqlite, restarting earlier: WebFixture? = nil, keepsPeopleApart: Bool = false,
        queuedQuestionLease: Double? = nil
    ) async throws {
        database = try earlier?.database ?? FreshDatabase(backend)
        store = try database.open()
        let options = WebServer.Options(
            port: 0, hasher: PasswordHasher(cost: 4), logLevel: .critical, keepsPeopleApart: keepsPeopleApart,
            queuedQuestionLease: queuedQuestionLease)
        if earlier == nil {
            let accounts = Accounts(store: store, hasher: options.hasher)
            try accounts.add(name: "ada", role: .researcher, password: Self.password)
            try accounts.add(name: "bo", role: .supervisor, password: Self.password)
        }
        let (stream, continuation) = AsyncStream<(Int, [String])>.makeStream()
        let web = WebServer(store: store, options: options)
        self.web = web
        server = Task {
            try await web.run { port, resumed in
                continuation.yield((port, resumed))
                continuation.finish()
            }
        }
        guard let (port, resumed) = await stream.first(where: { _ in true }) else {
            try await server.value
            throw WebFixtureError.didNotStart
        }
        self.port = port
        self.resumed = resumed
    }

    /// Stops the server (as SIGTERM would) and waits for it.
    func stop() async {
        server.cancel()
        _ = try? await server.value
    }

    /// A new browser: its own connection and cookies.
    func browser() -> Browser {
        Browser(port: port)
    }

    /// A browser signed in as `name`.
    func signedIn(_ name: String) async throws -> Browser {
        let browser = browser()
        try await browser.signIn(name, password: Self.password)
        return browser
    }

    deinit {
        server.cancel()
    }
}

enum WebFixtureError: Error {
    case didNotStart
    /// "Next workspace" sent nowhere for the whole wait; the page it showed instead.
    case noWorkspace(page: String)
}

/// An HTTP client that keeps cookies and fills each form's CSRF token from the last page, as a
/// browser does; redirects are not followed unless asked.
final class Browser: @unchecked Sendable {
    // Safe: a test uses one browser from one task at a time.
    private let client: TestClient
    private(set) var cookies: [String: String] = [:]
    /// Every page this browser received, in order (for crawling checks).
    private(set) var received: [String] = []
    private var csrf: String?

    init(port: Int) {
        client = TestClient(host: "127.0.0.1", port: port)
        client.connect()
    }

    deinit {
        let client = self.client
        Task { try? await client.shutdown() }
    }

    struct Page {
        let status: HTTPResponse.Status
        let location: String?
        let body: String
        let setCookies: [String]
    }

    func get(_ path: String) async throws -> Page {
        try await send(path, method: .get, body: nil)
    }

    /// POSTs `fields`, with the CSRF token of the last page unless `csrf` is given (`""`: none).
    func post(_ path: String, _ fields: [String: String] = [:], csrf given: String? = nil) async throws -> Page {
        var fields = fields
        let token = given ?? csrf ?? ""
        if !token.isEmpty { fields["csrf"] = token }
        let body = fields.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await send(path, method: .post, body: body)
    }

    /// Follows `page`'s redirect, if it has one.
    func follow(_ page: Page) async throws -> Page {
        guard let location = page.location else { return page }
        return try await get(location)
    }

    func signIn(_ name: String, password: String) async throws {
        _ = try await get("/login")
        let page = try await post("/login", ["name": name, "password": password])
        guard page.status == .seeOther else { throw BrowserError.signInFailed(page.status, page.body) }
    }

    private func send(_ path: String, method: HTTPRequest.Method, body: String?) async throws -> Page {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await client.execute(
            TestClient.Request(path, method: method, authority: "127.0.0.1", headers: headers, body: body.map { ByteBuffer(string: $0) }))
        let setCookies = response.head.headerFields[values: .setCookie]
        for cookie in setCookies {
            let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let (name, value) = (String(pair[0]), pair.count > 1 ? String(pair[1]) : "")
            if value.isEmpty { cookies[name] = nil } else { cookies[name] = value }
        }
        let text = response.body.map { String(buffer: $0) } ?? ""
        received.append(text)
        if let range = text.range(of: #"name="csrf" value=""#) {
            csrf = String(text[range.upperBound...].prefix { $0 != "\"" })
        }
        return Page(
            status: response.head.status, location: response.head.headerFields[.location], body: text, setCookies: setCookies)
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

enum BrowserError: Error {
    case signInFailed(HTTPResponse.Status, String)
}
