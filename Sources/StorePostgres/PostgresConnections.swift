import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// A bounded pool of connections to one database, used synchronously.
///
/// ``RunStore`` is synchronous (SQLite's calls return in microseconds, and the training loop
/// calls them between steps). Each call here waits on postgres-nio's event-loop futures, which
/// complete on NIO's own threads, so a caller on Swift's cooperative pool blocks its thread for
/// a round trip but never waits on a thread it holds. A caller never runs on an event loop.
///
/// Connections open on first use, up to `limit`; a caller beyond it waits for one to come back.
/// A connection the server closed is dropped and replaced on the next checkout.
final class PostgresConnections: @unchecked Sendable {
    let location: PostgresLocation
    private let configuration: PostgresConnection.Configuration
    private let limit: Int
    private let logger: Logger
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var idle: [PostgresConnection] = []
    private var opened = 0
    private var closed = false
    private var nextID = 0

    init(location: PostgresLocation, limit: Int) throws {
        precondition(limit >= 1, "PostgresConnections: limit must be at least 1, got \(limit)")
        self.location = location
        self.limit = limit
        var logger = Logger(label: "ida.postgres")
        // postgres-nio logs queries with their arguments at debug level: nothing below an error
        // leaves the library.
        logger.logLevel = .critical
        self.logger = logger
        switch location.endpoint {
        case .unixSocket(let path):
            configuration = PostgresConnection.Configuration(
                unixSocketPath: path, username: location.username, password: location.password,
                database: location.database)
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS
            switch location.tls {
            case .disable: tls = .disable
            case .prefer, .require:
                var client = TLSConfiguration.makeClientConfiguration()
                client.certificateVerification = .none
                let context = try NIOSSLContext(configuration: client)
                tls = location.tls == .require ? .require(context) : .prefer(context)
            }
            configuration = PostgresConnection.Configuration(
                host: host, port: port, username: location.username, password: location.password,
                database: location.database, tls: tls)
        }
    }

    /// Runs `body` on a connection of its own.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try checkOut()
        defer { checkIn(connection) }
        return try body(connection)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection { connection in
            _ = try rows("BEGIN", on: connection)
            do {
                let result = try body(connection)
                _ = try rows("COMMIT", on: connection)
                return result
            } catch {
                _ = try? rows("ROLLBACK", on: connection)
                throw error
            }
        }
    }

    /// Runs `query` and returns its rows.
    func rows(_ query: PostgresQuery, on connection: PostgresConnection) throws -> [PostgresRow] {
        do {
            return try connection.query(query, logger: logger).wait().rows
        } catch {
            throw statementError(error)
        }
    }

    /// Sends every query on `connection` before waiting for any reply, then waits for all of
    /// them in order; the first error is thrown once every reply is in.
    func pipeline(_ queries: [PostgresQuery], on connection: PostgresConnection) throws {
        let futures = queries.map { connection.query($0, logger: logger) }
        var firstError: (any Error)?
        for future in futures {
            do { _ = try future.wait() } catch { firstError = firstError ?? statementError(error) }
        }
        if let firstError { throw firstError }
    }

    /// Runs `query` on a connection of its own, outside any transaction.
    func rows(_ query: PostgresQuery) throws -> [PostgresRow] {
        try withConnection { try rows(query, on: $0) }
    }

    /// A connection outside the pool, opened without blocking: for `LISTEN`, which holds it.
    func asyncConnection() async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 0, logger: logger
            ).get()
        } catch {
            throw PostgresStoreError.unreachable(location: location.description, reason: PostgresStoreError.reason(error))
        }
    }

    /// Closes every connection; later checkouts throw ``PostgresStoreError/closed(location:)``.
    func close() {
        condition.lock()
        closed = true
        let connections = idle
        idle = []
        condition.broadcast()
        condition.unlock()
        for connection in connections { try? connection.close().wait() }
    }

    /// A statement's error: the server's refusal as ``PostgresStoreError/server(sqlState:message:)``,
    /// a connection lost on the way as ``PostgresStoreError/unreachable(location:reason:)``.
    private func statementError(_ error: any Error) -> any Error {
        guard let error = error as? PSQLError else { return error }
        if error.code == .server, let info = error.serverInfo {
            return PostgresStoreError.server(sqlState: info[.sqlState] ?? "?", message: info[.message] ?? "no message")
        }
        return PostgresStoreError.unreachable(location: location.description, reason: PostgresStoreError.reason(error))
    }

    /// A store dropped without `close()` closes its connections here (postgres-nio requires
    /// every connection closed before it goes).
    deinit {
        // Each closure keeps its connection until the close completes.
        for connection in idle { connection.close().whenComplete { _ in withExtendedLifetime(connection) {} } }
    }

    private func checkOut() throws -> PostgresConnection {
        condition.lock()
        while true {
            if closed {
                condition.unlock()
                throw PostgresStoreError.closed(location: location.description)
            }
            if let connection = idle.popLast() {
                if connection.isClosed {
                    opened -= 1
                    continue
                }
                condition.unlock()
                return connection
            }
            if opened < limit { break }
            condition.wait()
        }
        opened += 1
        nextID += 1
        let id = nextID
        condition.unlock()
        do {
            return try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: id, logger: logger
            ).wait()
        } catch {
            condition.lock()
            opened -= 1
            condition.signal()
            condition.unlock()
            throw PostgresStoreError.unreachable(location: location.description, reason: PostgresStoreError.reason(error))
        }
    }

    private func checkIn(_ connection: PostgresConnection) {
        condition.lock()
        if closed || connection.isClosed {
            opened -= 1
            condition.signal()
            condition.unlock()
            if !connection.isClosed { try? connection.close().wait() }
            return
        }
        idle.append(connection)
        condition.signal()
        condition.unlock()
    }
}
