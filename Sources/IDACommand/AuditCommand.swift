import ArgumentParser
import Foundation
import Application
import Store

/// `ida audit RUN`: the append-only log of what people did in a run.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print a run's audit log: who did what, when, on which workspace.",
        discussion: """
            Every action in the web app is logged as it happens and never changed: a run \
            started, paused, resumed or stopped; a workspace taken or skipped; a sub-question \
            asked, a fact looked up, an answer given or refused (with the seconds the person \
            spent on it); a correction. Without RUN, the entries of no run (signing in and out, \
            invitations); with --person, what one person did in every run.
            """
    )

    @Argument(help: ArgumentHelp("The run (see `ida runs`).", valueName: "run"))
    var runID: String?

    @Option(help: ArgumentHelp("Instead of a run's log, what one person did in every run.", valueName: "name"))
    var person: String?

    @Flag(help: "Print the entries and, for a run, its people's costs and accuracy as JSON.")
    var json = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if runID != nil && person != nil { throw ValidationError("give a run or --person, not both") }
    }

    func run() throws {
        let database = try store.openExisting()
        if let runID { _ = try database.run(id: runID) }
        if let person, try database.user(named: person) == nil { throw StoreError.userNotFound(name: person) }
        let entries = try person.map { try database.audit(user: $0) } ?? database.audit(run: runID)
        let summary = try runID.map { try PeopleRunSummary.of(run: $0, in: database) }
        let format = Date.ISO8601FormatStyle()
        if json {
            struct Entry: Encodable {
                let at: String, user: String?, action: String, run: String?, node: String?, detail: String, seconds: Double?
            }
            struct Output: Encodable {
                let run: String?
                let entries: [Entry]
                let summary: PeopleRunSummary?
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            let output = Output(
                run: runID,
                entries: entries.map {
                    Entry(
                        at: format.format($0.at), user: $0.user, action: $0.action.rawValue, run: $0.run, node: $0.node,
                        detail: $0.detail, seconds: $0.seconds)
                }, summary: summary)
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
            return
        }
        guard !entries.isEmpty else {
            print("no entries")
            return
        }
        for entry in entries {
            var fields = [format.format(entry.at), entry.user ?? "server", entry.action.rawValue]
            if person != nil { fields.append(entry.run ?? "-") }
            fields.append(entry.node ?? "-")
            let spent = entry.seconds.map { String(format: "  (%.1f s)", $0) } ?? ""
            print(fields.joined(separator: "  ") + (entry.detail.isEmpty ? "" : "  " + entry.detail) + spent)
        }
        if let summary {
            let accuracy = summary.accuracy == nil ? "no reference answers" : "\(summary.correctAnswers) of \(summary.scoredQuestions) answers right"
            print(
                "people (\(summary.people.joined(separator: ", "))): \(summary.humanActions) actions (\(summary.humanLookups) lookups, "
                    + "\(summary.humanAnswers) answers, \(summary.undos) undone), \(summary.reveals) facts shown again, \(summary.corrections) corrections, "
                    + "\(summary.skips) skips; other supervisors: \(summary.otherActions) actions; \(accuracy)")
        }
    }
}
