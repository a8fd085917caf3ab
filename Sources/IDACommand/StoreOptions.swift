import ArgumentParser
import Foundation
import Store

/// `--db PATH`, shared by the commands that read or write the store.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The database file (default: ~/.ida/ida.sqlite, under $HOME).", valueName: "path"))
    var db: String?

    /// The database path: `--db`, else the store's documented default under `$HOME`.
    func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let db { return db }
        let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        return SQLiteStore.defaultPath(home: home)
    }

    /// Opens (creating and migrating if needed) the store.
    func open() throws -> any RunStore {
        try SQLiteStore(path: path())
    }

    /// Opens an existing store for reading: a missing file is an error, not a new database.
    func openExisting() throws -> any RunStore {
        let path = path()
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandError.file(path: path, problem: "no database here yet (`ida run` creates it; or pass --db)")
        }
        return try SQLiteStore(path: path)
    }
}
