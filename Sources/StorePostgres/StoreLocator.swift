import Store

/// What `--db` names, opened as a store of runs and people (``ServerStore``): a PostgreSQL database for a `postgres://` or
/// `postgresql://` URL or a server's socket (see ``PostgresLocation``), an SQLite file for any
/// other path.
public enum StoreLocator {
    /// Opens (creating and migrating where needed) the store `text` names.
    ///
    /// - Throws: ``StoreError``s and ``PostgresStoreError``s, each one line without a password.
    public static func open(_ text: String, configuration: StoreConfiguration = .small) throws -> any ServerStore {
        if PostgresLocation.names(text) {
            return try PostgresStore(location: PostgresLocation(parsing: text), configuration: configuration)
        }
        return try SQLiteStore(path: text, configuration: configuration)
    }

    /// Whether `text` names a PostgreSQL database.
    public static func isPostgres(_ text: String) -> Bool {
        PostgresLocation.names(text)
    }
}
