import ArgumentParser
import Application
import Foundation
import Store
import StorePostgres

/// `ida db`: the database itself.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Work on the database itself: copy runs between an SQLite file and PostgreSQL.",
        discussion: """
            Every command's --db names the database: a path is an SQLite file (created when \
            missing; the default is ~/.ida/ida.sqlite); PostgreSQL is named by a URL, \
            postgres://USER:PASSWORD@HOST:PORT/DATABASE (or postgresql://), with \
            ?sslmode=disable|prefer|require, or on a Unix socket as \
            postgres://USER@/DATABASE?host=SOCKET_DIRECTORY, or by the socket file's path. \
            What the URL leaves out comes from PGUSER (else USER), PGPASSWORD, PGDATABASE (else \
            the user name), PGHOST and PGPORT. The database must exist (createdb makes one); \
            ida creates its tables in it, and refuses a database that holds another \
            application's tables or was migrated by a newer ida. The password is never \
            printed or stored.
            """,
        subcommands: [CopyCommand.self]
    )

    /// `ida db copy`: runs from one store into another, with their ids.
    struct CopyCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy runs, with everything recorded for them, from one database into another.",
            discussion: """
                Each run is copied whole in one transaction and keeps its id, so reports, \
                exports and `--resume` work on the copy as on the original; the runs grouped \
                under a run go with it. A run the destination already holds is skipped, so a \
                copy that was interrupted can be run again. People's corrections of a run's \
                answers and its audit log go with it; the language models' response cache and \
                people's accounts stay behind. Copy runs that are not being written (a finished \
                or interrupted run).

                Example: ida db copy --to postgres://ida@db.lab/ida
                """
        )

        @Option(help: ArgumentHelp(
            "The database to copy from (default: ~/.ida/ida.sqlite): a file or a postgres:// URL.",
            valueName: "path|url"))
        var from: String?

        @Option(help: ArgumentHelp("The database to copy into: a file or a postgres:// URL.", valueName: "path|url"))
        var to: String

        @Argument(help: "The runs to copy (default: every run).")
        var runs: [String] = []

        func run() throws {
            let source = try StoreOptions(db: from).openExisting()
            let destination = try StoreLocator.open(to)
            defer {
                try? source.close()
                try? destination.close()
            }
            var copied = 0
            var skipped = 0
            try StoreCopy.copy(runs, from: source, to: destination) { run, outcome in
                switch outcome {
                case .copied(let metrics, let checkpoints, let workspaces):
                    copied += 1
                    print("\(run.id)  \(run.kind.rawValue)  copied (\(metrics) metric samples, \(checkpoints) checkpoints, \(workspaces) workspaces)")
                case .alreadyThere:
                    skipped += 1
                    print("\(run.id)  \(run.kind.rawValue)  already there, skipped")
                }
            }
            print("\(copied) runs copied, \(skipped) already there, into \(destination.path)")
        }
    }
}
