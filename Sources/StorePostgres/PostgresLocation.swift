import Foundation

/// Where a PostgreSQL store is: a server (over TCP or a Unix socket), a user, a password and a
/// database, parsed from what a user passes as `--db`.
///
/// Accepted forms, as libpq reads them:
/// - `postgres://USER:PASSWORD@HOST:PORT/DATABASE` or `postgresql://…` (each part optional;
///   percent-encoding decoded; `?sslmode=disable|prefer|require`);
/// - a Unix socket: `postgres://USER@/DATABASE?host=/run/postgresql` (the directory holding
///   `.s.PGSQL.PORT`), or the socket file's path itself.
///
/// Missing parts come from the environment libpq reads: `PGUSER` (else `USER`), `PGPASSWORD`,
/// `PGDATABASE` (else the user name), `PGHOST`, `PGPORT`. The password is never printed:
/// ``description`` is the location without it, and is what messages and the store's `path` show.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public enum Endpoint: Sendable, Hashable {
        case tcp(host: String, port: Int)
        /// The socket file (`…/.s.PGSQL.5432`).
        case unixSocket(path: String)
    }

    /// Whether a connection over TCP is encrypted (libpq's `sslmode`, the modes without
    /// certificate checks).
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        case disable, prefer, require
    }

    public var endpoint: Endpoint
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(endpoint: Endpoint, username: String, password: String?, database: String, tls: TLSMode = .disable) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// Whether `text` names a PostgreSQL database rather than an SQLite file: a `postgres://` or
    /// `postgresql://` URL, or the path of a Unix socket.
    static func names(_ text: String) -> Bool {
        if hasScheme(text) { return true }
        var status = stat()
        return stat(text, &status) == 0 && (status.st_mode & S_IFMT) == S_IFSOCK
    }

    private static func hasScheme(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://")
    }

    /// Parses `text` (a URL or a socket path).
    ///
    /// - Throws: ``PostgresStoreError/badLocation(_:)`` with a line that says what is wrong
    ///   (without the password).
    public init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let defaultUser = environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        guard Self.hasScheme(text) else {
            // A socket file's path: the port is the file name's suffix.
            let name = URL(fileURLWithPath: text).lastPathComponent
            guard name.hasPrefix(".s.PGSQL.") else {
                throw PostgresStoreError.badLocation("\(text) is neither a postgres:// URL nor a PostgreSQL socket (.s.PGSQL.PORT)")
            }
            let user = defaultUser
            self.init(
                endpoint: .unixSocket(path: text), username: user, password: environment["PGPASSWORD"],
                database: environment["PGDATABASE"] ?? user)
            return
        }
        guard let components = URLComponents(string: text) else {
            throw PostgresStoreError.badLocation("not a URL: \(Self.redacted(text))")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard let value = item.value else {
                throw PostgresStoreError.badLocation("the parameter \(item.name) has no value (\(Self.redacted(text)))")
            }
            query[item.name] = value
        }
        let known: Set = ["host", "port", "user", "password", "dbname", "sslmode"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw PostgresStoreError.badLocation(
                "unknown parameter \(unknown) (known: \(known.sorted().joined(separator: ", ")))")
        }
        let user = query["user"] ?? components.user.flatMap { $0.removingPercentEncoding } ?? defaultUser
        let password = query["password"] ?? components.password.flatMap { $0.removingPercentEncoding }
            ?? environment["PGPASSWORD"]
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = query["dbname"] ?? (path.isEmpty ? nil : path.removingPercentEncoding) ?? environment["PGDATABASE"] ?? user
        let portText = query["port"] ?? components.port.map(String.init) ?? environment["PGPORT"] ?? "5432"
        guard let port = Int(portText), (1...65_535).contains(port) else {
            throw PostgresStoreError.badLocation("the port \(portText) is not a number from 1 to 65535")
        }
        let host = query["host"] ?? (components.host.flatMap { $0.isEmpty ? nil : $0 }) ?? environment["PGHOST"] ?? "localhost"
        let tlsText = query["sslmode"] ?? "disable"
        guard let tls = TLSMode(rawValue: tlsText) else {
            throw PostgresStoreError.badLocation(
                "sslmode \(tlsText) is not supported (use \(TLSMode.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        // libpq: a host that starts with a slash is the directory of the server's socket.
        let endpoint: Endpoint =
            host.hasPrefix("/")
            ? .unixSocket(path: URL(fileURLWithPath: host).appendingPathComponent(".s.PGSQL.\(port)").path)
            : .tcp(host: host, port: port)
        self.init(endpoint: endpoint, username: user, password: password, database: database, tls: tls)
    }

    /// The location as a URL without the password.
    public var description: String {
        let user = username.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? username
        let name = database.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? database
        switch endpoint {
        case .tcp(let host, let port):
            let tlsPart = tls == .disable ? "" : "?sslmode=\(tls.rawValue)"
            return "postgres://\(user)@\(host):\(port)/\(name)\(tlsPart)"
        case .unixSocket(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let port = URL(fileURLWithPath: path).lastPathComponent.replacingOccurrences(of: ".s.PGSQL.", with: "")
            return "postgres://\(user)@/\(name)?host=\(directory)&port=\(port)"
        }
    }

    /// The same server with another database (to create or drop databases from `postgres`).
    public func with(database: String) -> PostgresLocation {
        var copy = self
        copy.database = database
        return copy
    }

    /// `text` with any password in it replaced, for messages about a URL that did not parse.
    static func redacted(_ text: String) -> String {
        var redacted = text
        if let scheme = redacted.range(of: "://"), let at = redacted.range(of: "@", range: scheme.upperBound..<redacted.endIndex),
            let colon = redacted.range(of: ":", range: scheme.upperBound..<at.lowerBound)
        {
            redacted.replaceSubrange(colon.upperBound..<at.lowerBound, with: "***")
        }
        if let password = redacted.range(of: "password=") {
            let end = redacted[password.upperBound...].firstIndex(of: "&") ?? redacted.endIndex
            redacted.replaceSubrange(password.upperBound..<end, with: "***")
        }
        return redacted
    }
}
