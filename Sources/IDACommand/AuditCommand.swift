import ArgumentParser
import Foundation
import Store

/// `ida audit RUN`: the append-only log of what people did in a run.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print a run's audit log: who did what, when, on which workspace.",
        discussion: """
            Every action in the web app is logged as it happens and never changed: a run \
            started, paused, resumed or stopped; a workspace taken or skipped; a sub-question \
            asked, a fact looked up, an answer given or refused. Without RUN, the entries of no \
            run (signing in and out, invitations).
            """
    )

    @Argument(help: ArgumentHelp("The run (see `ida runs`).", valueName: "run"))
    var runID: String?

    @OptionGroup var store: StoreOptions

    func run() throws {
        let database = try store.openExisting()
        if let runID { _ = try database.run(id: runID) }
        let entries = try database.audit(run: runID)
        guard !entries.isEmpty else {
            print("no entries")
            return
        }
        let format = Date.ISO8601FormatStyle()
        for entry in entries {
            let fields = [
                format.format(entry.at), entry.user ?? "server", entry.action.rawValue, entry.node ?? "-",
            ]
            print(fields.joined(separator: "  ") + (entry.detail.isEmpty ? "" : "  " + entry.detail))
        }
    }
}
