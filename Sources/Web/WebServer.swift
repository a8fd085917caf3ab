import Foundation
import Hummingbird
import Logging
import NIOCore
import Store

/// `ida serve`: the web app where people supervise, on a store of runs and people.
///
/// ```swift
/// let server = WebServer(store: try StoreLocator.open("ida.sqlite"), port: 8080)
/// try await server.run { port in print("listening on \(port)") }
/// ```
public struct WebServer: Sendable {
    public struct Options: Sendable {
        public var host: String
        /// 0: any free port (the one chosen is passed to `listening`).
        public var port: Int
        /// `Secure` on cookies: browsers then keep them only over HTTPS or on localhost.
        public var secureCookies: Bool
        public var hasher: PasswordHasher
        /// What the HTTP server logs (its own errors; never a request's content).
        public var logLevel: Logger.Level
        /// No one is handed a workspace above or below one they have acted on in the same run.
        public var keepsPeopleApart: Bool

        public init(
            host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = true, hasher: PasswordHasher = PasswordHasher(),
            logLevel: Logger.Level = .warning, keepsPeopleApart: Bool = false
        ) {
            self.host = host
            self.port = port
            self.secureCookies = secureCookies
            self.hasher = hasher
            self.logLevel = logLevel
            self.keepsPeopleApart = keepsPeopleApart
        }
    }

    let app: WebApp
    let options: Options

    public init(store: any ServerStore, options: Options = Options()) {
        let desk = PersonDesk(keepsApart: options.keepsPeopleApart)
        app = WebApp(
            store: store, accounts: Accounts(store: store, hasher: options.hasher), desk: desk,
            host: RunHost(store: store, desk: desk), throttle: SignInThrottle(), secureCookies: options.secureCookies)
        self.options = options
    }

    /// Resumes the people's runs left running, then serves until the task is cancelled or the
    /// process gets SIGINT or SIGTERM; `listening` gets the port once the server accepts
    /// connections, and the runs resumed.
    public func run(listening: @escaping @Sendable (_ port: Int, _ resumed: [String]) -> Void = { _, _ in }) async throws {
        let resumed = try await app.host.resumeUnfinished()
        var logger = Logger(label: "ida.web")
        logger.logLevel = options.logLevel
        let application = Application(
            router: app.router(),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "ida"),
            onServerRunning: { channel in listening(channel.localAddress?.port ?? 0, resumed) },
            logger: logger)
        do {
            try await application.runService()
        } catch {
            await app.host.shutDown()
            throw error
        }
        await app.host.shutDown()
    }
}
