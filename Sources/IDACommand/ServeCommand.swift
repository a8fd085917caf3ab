import ArgumentParser
import Foundation
import Store
import Web

/// `ida serve`: the web app where people supervise.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web app where people supervise runs.",
        discussion: """
            Researchers sign in to start runs of free-text questions (a question file's lines, \
            pasted) or HCH on one of the five tasks, watch their trees grow, pause, resume or \
            stop them, and correct any answer (`ida export` trains on corrections); supervisors sign \
            in and are handed the next workspace waiting: its question, the sub-questions so far \
            with their answers and the budget left. They ask a sub-question, look up a hidden \
            fact (`fact N`), or answer. A fact is shown only to whoever looked it up, and every \
            action is in the run's audit log (`ida audit RUN`). Runs left running when the \
            server stopped are resumed when it starts again.

            Add the first researcher with `ida users add NAME --role researcher`. Cookies are \
            marked Secure, which browsers accept over HTTPS and on localhost; behind plain \
            HTTP on another host pass --insecure-cookies.

            Example: ida serve --port 8080, then open http://127.0.0.1:8080
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "The address to listen on (0.0.0.0: every interface).")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port).")
    var port = 8080

    @Flag(help: "Send cookies without the Secure flag (only for plain HTTP off localhost).")
    var insecureCookies = false

    @Flag(
        help: """
            Keep people apart: no one is handed a workspace above or below one they have acted on \
            in the same run (whoever asked a question knows what its answer is for). HCH of depth \
            n then needs at least n + 1 people.
            """)
    var keepPeopleApart = false

    @Flag(
        help: """
            Also hand the people here the questions of shared runs (ida queue, on PostgreSQL), \
            from the queue ida worker takes them from: a question is claimed when someone asks \
            for a workspace and none is waiting, saved with the queue at every action, and \
            stored whole with its last answer.
            """)
    var claimQueued = false

    @Option(help: ArgumentHelp(
        "Seconds a claimed queued question stays this server's without a renewal (renewed every third of that while the server runs).",
        valueName: "seconds"))
    var lease: Double = 60

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, got \(port)") }
        guard lease > 0, lease.isFinite else { throw ValidationError("--lease must be a positive number of seconds, got \(lease)") }
    }

    func run() async throws {
        let database: any ServerStore = claimQueued ? try sharedQueue(store) : try store.open()
        if try !database.users().contains(where: { $0.role == .researcher }) {
            print("nobody can start a run yet: add a researcher with `ida users add NAME --role researcher`")
        }
        let server = WebServer(
            store: database,
            options: WebServer.Options(host: host, port: port, secureCookies: !insecureCookies, keepsPeopleApart: keepPeopleApart,
                queuedQuestionLease: claimQueued ? lease : nil))
        let host = self.host
        try await server.run { port, resumed in
            let again = resumed.isEmpty ? "" : " (resumed \(resumed.count) run\(resumed.count == 1 ? "" : "s"): \(resumed.joined(separator: ", ")))"
            print("ida serve: listening on http://\(host):\(port)\(again)")
            fflush(nil)
        }
    }
}
