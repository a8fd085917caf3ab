import PostgresNIO

/// Creating and dropping whole databases on a server: what an operator does with `createdb` and
/// `dropdb`, for `ida db` and for tests that want an empty database each.
public enum PostgresDatabases {
    /// Creates the empty database `name` on `server`'s server, connecting to `server`'s own
    /// database to do so.
    public static func create(_ name: String, on server: PostgresLocation) throws {
        try administer("CREATE DATABASE \(quoted(name))", on: server)
    }

    /// Drops the database `name`, closing the connections still open to it.
    public static func drop(_ name: String, on server: PostgresLocation) throws {
        try administer("DROP DATABASE IF EXISTS \(quoted(name)) WITH (FORCE)", on: server)
    }

    private static func administer(_ sql: String, on server: PostgresLocation) throws {
        let connections = try PostgresConnections(location: server, limit: 1)
        defer { connections.close() }
        _ = try connections.rows(PostgresQuery(unsafeSQL: sql))
    }

    /// `name` as an SQL identifier (CREATE DATABASE takes no parameters).
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
