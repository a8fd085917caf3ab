import ArgumentParser
import Foundation
import Store
import StorePostgres

/// `--db`, shared by the commands that read or write the store.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The database: an SQLite file (default: ~/.ida/ida.sqlite, under $HOME) or a postgres:// URL (`ida db --help`).",
        valueName: "path|url"))
    var db: String?

    init() {}

    init(db: String?) {
        self.db = db
    }

    /// The database: `--db`, else the store's documented default under `$HOME`.
    func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let db { return db }
        let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        return SQLiteStore.defaultPath(home: home)
    }

    /// Opens (creating and migrating if needed) the store.
    func open() throws -> any ServerStore {
        try StoreLocator.open(path())
    }

    /// Opens an existing store for reading: a missing SQLite file is an error, not a new
    /// database (a PostgreSQL database is created by its operator, never by ida).
    func openExisting() throws -> any ServerStore {
        let path = path()
        guard StoreLocator.isPostgres(path) || FileManager.default.fileExists(atPath: path) else {
            throw CommandError.file(path: path, problem: "no database here yet (`ida run` creates it; or pass --db)")
        }
        return try StoreLocator.open(path)
    }
}
