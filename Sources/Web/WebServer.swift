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
        /// Seconds of the lease on each queued question the server claims for its people (shared
        /// runs, `ida queue`); nil: it claims none. Only a store that is a ``WorkQueue`` has them.
        public var queuedQuestionLease: Double?

        public init(
            host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = true, hasher: PasswordHasher = PasswordHasher(),
            logLevel: Logger.Level = .warning, keepsPeopleApart: Bool = false, queuedQuestionLease: Double? = nil
        ) {
            self.host = host
            self.port = port
            self.secureCookies = secureCookies
            self.hasher = hasher
            self.logLevel = logLevel
            self.keepsPeopleApart = keepsPeopleApart
            self.queuedQuestionLease = queuedQuestionLease
        }
    }

    let app: WebApp
    let options: Options
    let logger: Logger

    /// - Precondition: a server that claims queued questions (``Options/queuedQuestionLease``)
    ///   has a store that is a ``WorkQueue``.
    public init(store: any ServerStore, options: Options = Options()) {
        let desk = PersonDesk(keepsApart: options.keepsPeopleApart)
        var logger = Logger(label: "ida.web")
        logger.logLevel = options.logLevel
        let queued = options.queuedQuestionLease.map { lease in
            guard let queue = store as? any RunStore & WorkQueue else {
                preconditionFailure("WebServer: queued questions need a store that is a work queue (PostgreSQL)")
            }
            return QueuedQuestions(
                queue: queue, desk: desk, name: "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)",
                leaseSeconds: lease, logger: logger)
        }
        app = WebApp(
            store: store, accounts: Accounts(store: store, hasher: options.hasher), desk: desk,
            host: RunHost(store: store, desk: desk), queued: queued, throttle: SignInThrottle(), secureCookies: options.secureCookies)
        self.options = options
        self.logger = logger
    }

    /// Resumes the people's runs left running, then serves until the task is cancelled or the
    /// process gets SIGINT or SIGTERM; `listening` gets the port once the server accepts
    /// connections, and the runs resumed.
    public func run(listening: @escaping @Sendable (_ port: Int, _ resumed: [String]) -> Void = { _, _ in }) async throws {
        let resumed = try await app.host.resumeUnfinished()
        let watching = Task { [queued = app.queued] in if let queued { await queued.watch() } }
        let application = Application(
            router: app.router(),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "ida"),
            onServerRunning: { channel in listening(channel.localAddress?.port ?? 0, resumed) },
            logger: logger)
        do {
            try await application.runService()
        } catch {
            await shutDown(watching)
            throw error
        }
        await shutDown(watching)
    }

    private func shutDown(_ watching: Task<Void, Never>) async {
        watching.cancel()
        await app.queued?.shutDown()
        await app.host.shutDown()
    }
}
