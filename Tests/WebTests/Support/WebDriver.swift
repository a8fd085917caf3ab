import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// A headless Chromium driven through chromedriver (the WebDriver protocol, JSON over HTTP):
/// what a person's browser does, for the tests that need a real one.
final class WebDriver: @unchecked Sendable {
    // Safe: a test drives one browser from one task.

    /// chromedriver: `IDA_CHROMEDRIVER`, else Debian's (`scripts/test` installs it with chromium).
    static let chromedriver: String? = {
        let path = ProcessInfo.processInfo.environment["IDA_CHROMEDRIVER"] ?? "/usr/bin/chromedriver"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()

    private let process: Process
    private let client: TestClient
    private let session: String

    enum Failure: Error, CustomStringConvertible {
        case noDriver
        case didNotStart(String)
        case command(String, String)
        var description: String {
            switch self {
            case .noDriver: "no chromedriver (set IDA_CHROMEDRIVER or install Debian's chromium-driver)"
            case .didNotStart(let log): "chromedriver did not start: \(log)"
            case .command(let what, let reply): "WebDriver \(what) failed: \(reply)"
            }
        }
    }

    /// Starts chromedriver on a free port and opens a headless Chromium session.
    init() async throws {
        guard let driver = Self.chromedriver else { throw Failure.noDriver }
        let port = Int.random(in: 20_000..<60_000)
        process = Process()
        process.executableURL = URL(fileURLWithPath: driver)
        process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        client = TestClient(host: "127.0.0.1", port: port)
        var started = false
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            let probe = TestClient(host: "127.0.0.1", port: port)
            probe.connect()
            if let reply = try? await probe.execute(TestClient.Request("/status", method: .get, authority: "127.0.0.1")),
                reply.head.status == .ok
            {
                try? await probe.shutdown()
                started = true
                break
            }
            try? await probe.shutdown()
        }
        guard started else {
            process.terminate()
            throw Failure.didNotStart("no answer on port \(port)")
        }
        client.connect()
        let binary = ProcessInfo.processInfo.environment["IDA_CHROMIUM"] ?? "/usr/bin/chromium"
        let capabilities: [String: Any] = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": [
                        "binary": binary,
                        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1100,900"],
                    ],
                ]
            ]
        ]
        let reply = try await Self.send(client, "/session", method: .post, capabilities)
        guard let value = reply["value"] as? [String: Any], let id = value["sessionId"] as? String else {
            process.terminate()
            throw Failure.command("new session", "\(reply)")
        }
        session = id
        // An element is looked for until it appears, for at most 30 s: a click that submits a
        // form returns before the next page has loaded, which on a loaded machine takes seconds.
        _ = try await command("/timeouts", ["implicit": 30_000])
    }

    /// Ends the session (which closes the browser) and the driver.
    func quit() async {
        _ = try? await Self.send(client, "/session/\(session)", method: .delete, nil)
        try? await client.shutdown()
        process.terminate()
        // Polled, not `waitUntilExit()`, which can wait forever on a cooperative thread.
        for _ in 0..<100 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit {
        // A driver not quit (a test that crashed) is still not left running.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    func open(_ url: String) async throws {
        _ = try await command("/url", ["url": url])
    }

    var currentURL: String {
        get async throws { try await command("/url", method: .get)["value"] as? String ?? "" }
    }

    var source: String {
        get async throws { try await command("/source", method: .get)["value"] as? String ?? "" }
    }

    /// Types `text` into the element `selector` finds.
    func type(_ text: String, into selector: String) async throws {
        let element = try await find(selector)
        _ = try await command("/element/\(element)/value", ["text": text])
    }

    func click(_ selector: String) async throws {
        let element = try await find(selector)
        _ = try await command("/element/\(element)/click", [:])
    }

    /// The page as a PNG.
    func screenshot() async throws -> Data {
        guard let base64 = try await command("/screenshot", method: .get)["value"] as? String, let data = Data(base64Encoded: base64)
        else { throw Failure.command("screenshot", "no image") }
        return data
    }

    private func find(_ selector: String) async throws -> String {
        let reply = try await command("/element", ["using": "css selector", "value": selector])
        guard let value = reply["value"] as? [String: Any], let id = value.values.first as? String else {
            throw Failure.command("find \(selector)", "\(reply)")
        }
        return id
    }

    private func command(_ path: String, method: HTTPRequest.Method = .post, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        let reply = try await Self.send(client, "/session/\(session)" + path, method: method, method == .post ? (body ?? [:]) : nil)
        if let value = reply["value"] as? [String: Any], let error = value["error"] as? String {
            throw Failure.command(path, "\(error): \(value["message"] ?? "")")
        }
        return reply
    }

    private static func send(_ client: TestClient, _ path: String, method: HTTPRequest.Method, _ body: [String: Any]?) async throws
        -> [String: Any]
    {
        var headers: HTTPFields = [:]
        var buffer: ByteBuffer?
        if let body {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))
        }
        let response = try await client.execute(
            TestClient.Request(path, method: method, authority: "127.0.0.1", headers: headers, body: buffer))
        let data = response.body.map { Data($0.readableBytesView) } ?? Data()
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}
