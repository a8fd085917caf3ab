import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import Web

/// Pages that wait are told of changes at once: server-sent events on a real connection.
@Suite struct LiveTests {
    /// A raw HTTP connection reading an event stream as it arrives.
    final class EventStream {
        let socket: Int32
        private(set) var received = ""

        init(port: Int, path: String, cookie: String) throws {
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
            let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: \(cookie)\r\nAccept: text/event-stream\r\n\r\n"
            _ = request.withCString { send(socket, $0, strlen($0), 0) }
        }

        deinit { close(socket) }

        /// Reads until `text` has arrived or `seconds` passed; whether it arrived. It never blocks
        /// in `recv`, sleeping between reads instead: the server it waits on answers from the same
        /// cooperative threads, two on a 2-core machine, which a blocked read would hold.
        func waitFor(_ text: String, seconds: Double) async -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !received.contains(text) && Date() < deadline {
                let count = recv(socket, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                if count > 0 {
                    received += String(decoding: buffer[0..<count], as: UTF8.self)
                } else {
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            return received.contains(text)
        }
    }

    @Test func aWaitingPageHearsOfANewWorkspaceAtOnce() async throws {
        let fixture = try await WebFixture()
        defer { Task { await fixture.stop() } }
        let bo = try await fixture.signedIn("bo")
        let waiting = try await bo.get("/work")
        #expect(waiting.location == nil && waiting.body.contains("data-live=\"0\""))
        #expect(waiting.body.contains("<noscript><meta http-equiv=\"refresh\""), "without JavaScript the page reloads itself")
        let cookie = bo.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        let stream = try EventStream(port: fixture.port, path: "/events?since=0", cookie: cookie)
        // The stream's start is not what is timed (a loaded machine was seen to take over 5 s to
        // answer); the change's push below is.
        #expect(await stream.waitFor("text/event-stream", seconds: 60))
        #expect(!stream.received.contains("event: change"), "nothing changed yet")

        _ = try await SupervisingTests.startRun(in: fixture)
        // Counted from the run's start having returned, so that a loaded machine's slow start of
        // a run does not count against the push that follows it.
        let started = Date()
        #expect(await stream.waitFor("event: change", seconds: 5))
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(try await bo.get("/work").location != nil, "and the workspace is there to take")
    }

    @Test func theEventStreamNeedsASession() async throws {
        let fixture = try await WebFixture()
        defer { Task { await fixture.stop() } }
        let page = try await fixture.browser().get("/events")
        #expect(page.status == .found && page.location == "/login")
    }
}
