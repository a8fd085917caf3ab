import OutsideInput
import PostgresNIO

/// What can go wrong between ida and a PostgreSQL server, each as one line without the password.
///
/// The store's own refusals (an unknown run, a newer schema, a database of another application)
/// are ``StoreError``s, as for SQLite; these are the server's.
public enum PostgresStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `--db` does not parse as a PostgreSQL location.
    case badLocation(String)
    /// No connection, or one lost mid-statement: the server is down or unreachable, refused the
    /// login, or has no such database.
    case unreachable(location: String, reason: String)
    /// The server refused a statement (its SQLSTATE and message).
    case server(sqlState: String, message: String)
    /// The store was closed.
    case closed(location: String)

    public var description: String {
        switch self {
        case .badLocation(let problem):
            "not a PostgreSQL location: \(ErrorText.printable(problem))"
        case .unreachable(let location, let reason):
            "cannot reach the database \(location): \(ErrorText.printable(reason)) (is the server running? pass another database with --db)"
        case .server(let sqlState, let message):
            "the database refused a statement: \(ErrorText.printable(message)) (SQLSTATE \(sqlState))"
        case .closed(let location):
            "the store \(location) is closed"
        }
    }

    /// The server's message for `error`, or what failed on the way to it (never the query's
    /// arguments, never the password).
    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}
