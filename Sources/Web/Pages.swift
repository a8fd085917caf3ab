import Amplification
import Foundation
import Application
import Store
import Tasks

/// The pages, as typed HTML: every value a person or a run supplied is escaped by ``HTML``.
enum Pages {
    static let stylesheet = """
        body { font: 16px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 0 1rem 3rem; color: #1d1d1f; }
        header { display: flex; gap: 1rem; align-items: baseline; border-bottom: 1px solid #ccc; margin-bottom: 1rem; }
        header h1 { font-size: 1.2rem; margin: .6rem 0; } header nav { flex: 1; display: flex; gap: 1rem; }
        header form { margin: 0; } button { font: inherit; padding: .25rem .8rem; cursor: pointer; }
        input[type=text], input[type=password], textarea { font: inherit; padding: .3rem; width: 100%; box-sizing: border-box; }
        textarea { min-height: 8rem; font-family: ui-monospace, monospace; }
        .error { background: #fde8e8; border-left: 4px solid #c81e1e; padding: .5rem .8rem; }
        .notice { background: #e8f4fd; border-left: 4px solid #1e6ec8; padding: .5rem .8rem; }
        .question { font-size: 1.25rem; font-weight: 600; } .hidden-fact { color: #777; font-style: italic; }
        table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eee; }
        pre { background: #f6f6f6; padding: .8rem; overflow-x: auto; } .actions { display: flex; gap: .5rem; flex-wrap: wrap; }
        .actions form { margin: 0; } label { display: block; margin: .6rem 0 .2rem; font-weight: 600; }
        """

    /// Reloads a live page when the server says something changed (server-sent events); a
    /// browser without JavaScript reloads it every few seconds instead (`<noscript>`).
    static let script = """
        const live = document.body.dataset.live;
        if (live && window.EventSource) {
          const events = new EventSource("/events?since=" + live);
          events.addEventListener("change", () => { events.close(); location.reload(); });
        }
        """

    /// The whole page around `body`. A live page (`refreshSeconds` given) reloads itself when
    /// the desk's version moves past `version`.
    static func layout(title: String, signedIn: SignedIn?, refreshSeconds: Int? = nil, version: Int = 0, _ body: HTML) -> HTML {
        let refresh: HTML = refreshSeconds.map {
            "<noscript><meta http-equiv=\"refresh\" content=\"\($0)\"></noscript><script src=\"/static/ida.js\" defer></script>"
        } ?? ""
        let live: HTML = refreshSeconds == nil ? "" : " data-live=\"\(version)\""
        let navigation: HTML
        if let signedIn {
            let researcher: HTML =
                signedIn.user.role == .researcher ? "<a href=\"/users\">People</a>" : ""
            navigation = """
                <nav><a href="/">Runs</a><a href="/work">Next workspace</a>\(researcher)</nav>
                <span>\(signedIn.user.name) (\(signedIn.user.role.rawValue))</span>
                \(form(action: "/logout", csrf: signedIn.csrfToken, "<button>Sign out</button>"))
                """
        } else {
            navigation = "<nav></nav>"
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            \(refresh)<title>\(title) · ida</title><link rel="stylesheet" href="/static/ida.css"></head>
            <body\(live)><header><h1>ida</h1>\(navigation)</header>
            <main>\(body)</main></body></html>
            """
    }

    /// A POST form carrying the session's CSRF token.
    static func form(action: String, csrf: String, _ content: HTML) -> HTML {
        """
        <form method="post" action="\(action)"><input type="hidden" name="csrf" value="\(csrf)">\(content)</form>
        """
    }

    static func error(_ message: String?) -> HTML {
        message.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? ""
    }

    static func signIn(csrf: String, name: String = "", message: String? = nil) -> HTML {
        layout(
            title: "Sign in", signedIn: nil,
            """
            <h2>Sign in</h2>\(error(message))
            <form method="post" action="/login"><input type="hidden" name="csrf" value="\(csrf)">
            <label for="name">Name</label><input type="text" id="name" name="name" value="\(name)" autocomplete="username" required>
            <label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
            <p><button>Sign in</button></p></form>
            """)
    }

    static func invitation(user: UserRecord, token: String, csrf: String, message: String? = nil) -> HTML {
        layout(
            title: "Welcome", signedIn: nil,
            """
            <h2>Welcome, \(user.name)</h2>\(error(message))
            <p>\(user.invitedBy ?? "A researcher") invited you to supervise. Choose a password (at least \(PasswordHasher.minimumLength) characters).</p>
            <form method="post" action="/invitation/\(token)"><input type="hidden" name="csrf" value="\(csrf)">
            <label for="password">Password</label><input type="password" id="password" name="password" autocomplete="new-password" required>
            <p><button>Set password</button></p></form>
            """)
    }

    /// The home page: runs (a researcher also starts them here), or a supervisor's way to work.
    static func home(signedIn: SignedIn, runs: [RunRecord], message: String? = nil, questions: String = "", depth: String = "1") -> HTML {
        let rows: [HTML] = runs.map { run in
            "<tr><td><a href=\"/runs/\(run.id)\">\(run.id)</a></td><td>\(run.status.rawValue)</td><td>\(run.createdAt.formatted(.iso8601))</td></tr>"
        }
        let table: HTML = rows.isEmpty ? "<p>No run is worked by people yet.</p>" : "<table><tr><th>Run</th><th>Status</th><th>Started</th></tr>\(rows)</table>"
        guard signedIn.user.role == .researcher else {
            return layout(
                title: "Home", signedIn: signedIn,
                """
                <h2>Hello, \(signedIn.user.name)</h2>
                <p><a href="/work">Take the next workspace</a>: you will see its question, the sub-questions asked so far
                with their answers, and the budget left; ask a sub-question, look up a fact, or answer.</p>
                """)
        }
        return layout(
            title: "Runs", signedIn: signedIn,
            """
            <h2>Runs worked by people</h2>\(table)
            <h2>Start a run</h2>\(error(message))
            \(form(action: "/runs", csrf: signedIn.csrfToken, """
                <label for="questions">Questions (JSON Lines: one {"question": …, "facts": […], "answer": …} per line)</label>
                <textarea id="questions" name="questions" required>\(questions)</textarea>
                <label for="depth">Depth n (people work the workspaces down to depth n; below, questions are answered unknown)</label>
                <input type="text" id="depth" name="depth" value="\(depth)" inputmode="numeric">
                <p><button>Start</button></p>
                """))
            <h2>Start HCH on a task</h2>
            \(form(action: "/runs", csrf: signedIn.csrfToken, """
                <label for="task">Task</label><select id="task" name="task">\(TaskCatalog.taskNames.map { "<option>\($0)</option>" as HTML })</select>
                <label for="preset">Preset</label><select id="preset" name="preset"><option>small</option><option>tiny</option></select>
                <label for="instances">Instances (each has several questions)</label><input type="text" id="instances" name="instances" value="1" inputmode="numeric">
                <label for="task-depth">Depth n</label><input type="text" id="task-depth" name="depth" value="2" inputmode="numeric">
                <label for="seed">Seed</label><input type="text" id="seed" name="seed" value="1" inputmode="numeric">
                <p><button>Start</button></p>
                """))
            <h2>Train H′ on people's demonstrations</h2>
            <p>IA with a learned supervisor H′ (as <code>ida run --supervisor learned</code>), its demonstrations given by the people here.</p>
            \(form(action: "/runs/train", csrf: signedIn.csrfToken, """
                <label for="train-task">Task</label><select id="train-task" name="task">\(TaskCatalog.taskNames.map { "<option>\($0)</option>" as HTML })</select>
                <label for="train-preset">Preset</label><select id="train-preset" name="preset"><option>tiny</option><option>small</option></select>
                <label for="train-steps">Steps (empty: the preset's)</label><input type="text" id="train-steps" name="steps" inputmode="numeric">
                <label for="train-seed">Seed</label><input type="text" id="train-seed" name="seed" value="1" inputmode="numeric">
                <p><button>Start</button></p>
                """))
            """)
    }

    static func nothingWaiting(signedIn: SignedIn, version: Int) -> HTML {
        layout(
            title: "Waiting", signedIn: signedIn, refreshSeconds: 1, version: version,
            """
            <h2>No workspace is waiting for you</h2>
            <p class="notice">A workspace appears here as soon as one is ready.</p>
            \(undoForm(signedIn))
            """)
    }

    /// Takes back the person's last action while nothing depends on it.
    static func undoForm(_ signedIn: SignedIn) -> HTML {
        form(action: "/work/undo", csrf: signedIn.csrfToken, "<button>Undo my last action</button>")
    }

    /// A workspace for the person who holds it. The answer of a lookup is shown only to whoever
    /// looked it up (`revealed`); others see that it is hidden and may look it up themselves.
    static func workspace(
        _ workspace: Workspace, key: PersonDesk.Key, domain: any Domain, revealed: Set<Int>, review: Bool, signedIn: SignedIn,
        message: String? = nil, typed: String = ""
    ) -> HTML {
        let base = "/work/\(key.run)/\(key.node)"
        let exchanges: [HTML] = workspace.exchanges.enumerated().map { position, exchange in
            let question = domain.render(exchange.question)
            let answer: HTML
            if domain.isLeaf(exchange.question) && !revealed.contains(position) {
                answer = """
                    <span class="hidden-fact">hidden: looked up by someone else</span>
                    \(form(action: base + "/reveal", csrf: signedIn.csrfToken, "<input type=\"hidden\" name=\"position\" value=\"\(position)\"><button>Look it up</button>"))
                    """
            } else {
                answer = "\(domain.render(exchange.answer))"
            }
            return "<tr><td>\(position + 1)</td><td>\(question)</td><td>\(answer)</td></tr>"
        }
        let rejection: HTML = workspace.rejection.map { "<p class=\"error\">Your last action was refused: \($0.description)</p>" } ?? ""
        let again: HTML =
            review
            ? "<p class=\"notice\">An answer below was corrected after this workspace was answered: give its answer again, with the answers as they now stand (it may stay the same).</p>"
            : ""
        return layout(
            title: "Workspace \(key.node)", signedIn: signedIn,
            """
            <p>Run \(key.run), workspace \(key.node.description)</p>
            <p class="question">\(domain.render(workspace.question))</p>\(again)
            <table><tr><th>#</th><th>Sub-question</th><th>Answer</th></tr>\(exchanges)</table>
            <p>Sub-questions left: <strong>\(workspace.subquestionsLeft)</strong></p>
            \(rejection)\(error(message))
            \(form(action: base, csrf: signedIn.csrfToken, """
                <label for="text">Your sub-question or answer</label>
                <input type="text" id="text" name="text" value="\(typed)" autofocus>
                <p class="actions"><button name="kind" value="ask">Ask</button><button name="kind" value="answer">Answer</button></p>
                """))
            <details><summary>How to work a workspace</summary><pre>\(domain.guide)</pre></details>
            \(form(action: base + "/skip", csrf: signedIn.csrfToken, "<button>Skip: give it to someone else</button>"))
            \(undoForm(signedIn))
            """)
    }

    /// Pause or resume, and stop, for a run the server works.
    static func runControls(_ run: RunRecord, paused: Bool, hosted: Bool, signedIn: SignedIn) -> [HTML] {
        guard hosted && run.status == .running else { return [] }
        let base = "/runs/\(run.id)"
        return [
            paused
                ? form(action: base + "/resume", csrf: signedIn.csrfToken, "<button>Resume</button>")
                : form(action: base + "/pause", csrf: signedIn.csrfToken, "<button>Pause</button>"),
            form(action: base + "/stop", csrf: signedIn.csrfToken, "<button>Stop for good</button>"),
        ]
    }

    static func waitingWorkspaces(_ waiting: [(node: WorkspaceID, holder: String?)]) -> HTML {
        let rows: [HTML] = waiting.map { "<tr><td>\($0.node.description)</td><td>\($0.holder ?? "nobody yet")</td></tr>" }
        return rows.isEmpty ? "<p>Nothing.</p>" : "<table><tr><th>Workspace</th><th>Held by</th></tr>\(rows)</table>"
    }

    /// A training whose H′ learns from people: its sides as they stand, people's demonstrations,
    /// and once it is done its report.
    static func training(
        _ run: RunRecord, configuration: JobConfiguration, sides: [SideProgress], failure: String?, report: RunReport?,
        audit: [AuditEntry],
        waiting: [(node: WorkspaceID, holder: String?)], paused: Bool, hosted: Bool, version: Int, signedIn: SignedIn
    ) -> HTML {
        let percent = { (value: Double?) -> String in value.map { String(format: "%.1f %%", $0 * 100) } ?? "–" }
        let sideRows: [HTML] = sides.map { side in
            "<tr><td>\(side.label)</td><td>\(side.step) / \(side.totalSteps)\(side.finished ? " (done)" : "")</td><td>\(percent(side.accuracy))</td><td>\(percent(side.ampAccuracy))</td><td>\(side.expertCalls.map(String.init) ?? "–")</td></tr>"
        }
        let progress: HTML =
            sideRows.isEmpty
            ? ""
            : "<table><tr><th>Side</th><th>Step</th><th>Model accuracy</th><th>Amp(H′, X) accuracy</th><th>People's actions</th></tr>\(sideRows)</table>"
        let actions = audit.filter { [.ask, .lookup, .answer].contains($0.action) }
        let people = Set(actions.compactMap(\.user)).sorted()
        var result: HTML = ""
        if let report {
            let asker: HTML = report.asker.map {
                "<p>H′: \($0.demonstrations) demonstrations from people, \($0.steps) training steps.</p>"
            } ?? ""
            result = """
                <h3>Result (held-out, full size)</h3>
                <table><tr><th></th><th>Accuracy</th></tr>
                <tr><td>IA: X</td><td>\(percent(report.ia.accuracy))</td></tr>
                <tr><td>IA: Amp(H′, X)</td><td>\(percent(report.ia.ampAccuracy))</td></tr>
                <tr><td>supervised</td><td>\(percent(report.supervised.accuracy))</td></tr></table>
                <p>People's actions (the expert calls): \(report.ia.counters.expertCalls).</p>\(asker)
                """
        }
        let steps = configuration.steps.map { ", \($0) steps" } ?? ""
        return layout(
            title: "Run \(run.id)", signedIn: signedIn, refreshSeconds: run.status == .running && !paused ? 2 : nil, version: version,
            """
            <h2>Run \(run.id): H′ learning from people</h2>
            <p>\(configuration.tasks.joined(separator: ", ")) (\(configuration.preset))\(steps), seed \(configuration.seed)</p>
            <p>Status: <strong>\(paused ? "paused" : run.status.rawValue)</strong> · <a href="/runs/\(run.id)/audit">audit log</a></p>
            <div class="actions">\(runControls(run, paused: paused, hosted: hosted, signedIn: signedIn))</div>
            \(error(failure.map { "It stopped: \($0)" }))
            \(progress)
            <p>People's demonstrations: \(actions.count) actions (\(actions.count { $0.action == .lookup }) lookups,
            \(actions.count { $0.action == .answer }) answers) by \(people.isEmpty ? "nobody yet" : people.joined(separator: ", ")).</p>
            <h3>Waiting for a person</h3>
            \(waitingWorkspaces(waiting))
            \(result)
            """)
    }

    /// A workspace of a run as a row of the run page.
    struct NodeRow: Sendable {
        let id: WorkspaceID
        let question: String
        let answer: String?
        let answeredBy: String
        let corrected: Int?
        let stale: Bool
    }

    static func run(
        _ run: RunRecord, summary: PeopleRunSummary, tree: String, nodes: [NodeRow], waiting: [(node: WorkspaceID, holder: String?)],
        paused: Bool, hosted: Bool, version: Int, signedIn: SignedIn
    ) -> HTML {
        let accuracy: String =
            summary.accuracy.map { "\(summary.correctAnswers) of \(summary.scoredQuestions) right (\(Int(($0 * 100).rounded())) %)" }
            ?? "no reference answers"
        let costs: HTML = """
            <table><tr><th>Accuracy</th><th>Human actions</th><th>Human lookups</th><th>Corrections</th><th>Other supervisors' actions</th><th>People</th></tr>
            <tr><td>\(accuracy)</td><td>\(summary.humanActions) (\(summary.humanAnswers) answers, \(summary.undos) undone)</td><td>\(summary.humanLookups) (+\(summary.reveals) shown again)</td>
            <td>\(summary.corrections)</td><td>\(summary.otherActions)</td><td>\(summary.people.joined(separator: ", "))</td></tr></table>
            """
        let state = paused ? "paused" : run.status.rawValue
        let base = "/runs/\(run.id)"
        let controls = runControls(run, paused: paused, hosted: hosted, signedIn: signedIn)
        let waitingTable = waitingWorkspaces(waiting)
        let nodeRows: [HTML] = nodes.map { node in
            let marks: HTML =
                node.stale ? "<em>stale</em>" : (node.corrected.map { "<em>corrected (v\($0))</em>" } ?? "")
            return """
                <tr><td><a href="\(base)/nodes/\(node.id.description)">\(node.id.description)</a></td><td>\(node.question)</td>
                <td>\(node.answer ?? "…")</td><td>\(node.answeredBy)</td><td>\(marks)</td></tr>
                """
        }
        return layout(
            title: "Run \(run.id)", signedIn: signedIn, refreshSeconds: run.status == .running && !paused ? 2 : nil, version: version,
            """
            <h2>Run \(run.id)</h2><p>Status: <strong>\(state)</strong> · <a href="\(base)/audit">audit log</a></p>
            <div class="actions">\(controls)</div>
            \(costs)
            <h3>Waiting for a person</h3>
            \(waitingTable)
            <h3>Workspaces</h3>
            <table><tr><th>Id</th><th>Question</th><th>Answer</th><th>By</th><th></th></tr>\(nodeRows)</table>
            <h3>Tree</h3><pre>\(tree)</pre>
            """)
    }

    /// One workspace of a run for a researcher: its answer, every correction, and a form to
    /// correct it.
    static func node(
        run: String, row: NodeRow, versions: [CorrectionRecord], render: (String?) -> String, signedIn: SignedIn,
        message: String? = nil, typed: String = ""
    ) -> HTML {
        let history: [HTML] = versions.map { version in
            """
            <tr><td>v\(version.version)</td><td>\(version.author)</td><td>\(version.at.formatted(.iso8601))</td>
            <td>\(render(version.before))</td><td>\(render(version.after))</td><td>\(version.reason)</td></tr>
            """
        }
        let historyTable: HTML =
            history.isEmpty
            ? "<p>Not corrected.</p>"
            : "<table><tr><th>Version</th><th>By</th><th>When</th><th>Before</th><th>After</th><th>Why</th></tr>\(history)</table>"
        let stale: HTML =
            row.stale
            ? "<p class=\"notice\">Stale: this answer was given with an answer below it that has since been corrected.</p>" : ""
        return layout(
            title: "Workspace \(row.id.description)", signedIn: signedIn,
            """
            <p><a href="/runs/\(run)">Run \(run)</a>, workspace \(row.id.description)</p>
            <p class="question">\(row.question)</p>
            <p>Answer: <strong>\(row.answer ?? "none yet")</strong> (by \(row.answeredBy))</p>\(stale)
            <h3>Corrections</h3>\(historyTable)
            <h3>Correct the answer</h3>\(error(message))
            \(form(action: "/runs/\(run)/nodes/\(row.id.description)/correct", csrf: signedIn.csrfToken, """
                <label for="answer">The right answer</label><input type="text" id="answer" name="answer" value="\(typed)" required>
                <label for="reason">Why (kept with the correction)</label><input type="text" id="reason" name="reason">
                <p><button>Correct</button></p>
                """))
            """)
    }

    static func audit(run: String, entries: [AuditEntry], signedIn: SignedIn) -> HTML {
        layout(
            title: "Audit \(run)", signedIn: signedIn,
            """
            <h2>Audit log of run <a href="/runs/\(run)">\(run)</a></h2>
            \(auditTable(entries, showRun: false))
            """)
    }

    /// Entries as a table: when, who (linked to their page), what, where, the detail, time spent.
    static func auditTable(_ entries: [AuditEntry], showRun: Bool) -> HTML {
        let rows: [HTML] = entries.map { entry in
            let who: HTML = entry.user.map { "<a href=\"/people/\($0)\">\($0)</a>" } ?? "server"
            let run: HTML = showRun ? "<td>\(entry.run.map { "<a href=\"/runs/\($0)\">\($0)</a>" as HTML } ?? "")</td>" : ""
            let seconds = entry.seconds.map { String(format: "%.1f s", $0) } ?? ""
            return """
                <tr><td>\(entry.at.formatted(.iso8601))</td><td>\(who)</td><td>\(entry.action.rawValue)</td>\(run)<td>\(entry.node ?? "")</td>
                <td>\(entry.detail)</td><td>\(seconds)</td></tr>
                """
        }
        let runHeader: HTML = showRun ? "<th>Run</th>" : ""
        return """
            <table><tr><th>When</th><th>Who</th><th>What</th>\(runHeader)<th>Workspace</th><th>Detail</th><th>Time spent</th></tr>\(rows)</table>
            """
    }

    /// One person's page: what they did in every run, and how long it took them.
    static func person(_ user: UserRecord, entries: [AuditEntry], signedIn: SignedIn) -> HTML {
        let actions = entries.filter { [.ask, .lookup, .answer].contains($0.action) }
        let spent = actions.compactMap(\.seconds).reduce(0, +)
        let runs = Set(entries.compactMap(\.run)).count
        return layout(
            title: user.name, signedIn: signedIn,
            """
            <h2>\(user.name) (\(user.role.rawValue))</h2>
            <p>\(actions.count) actions on workspaces in \(runs) runs, \(String(format: "%.0f", spent)) s spent on them
            (\(actions.isEmpty ? "–" : String(format: "%.1f", spent / Double(actions.count))) s each);
            \(entries.count { $0.action == .correct }) corrections, \(entries.count { $0.action == .skip }) skips.</p>
            \(auditTable(entries, showRun: true))
            """)
    }

    static func people(users: [UserRecord], signedIn: SignedIn, invitationLink: String? = nil, message: String? = nil) -> HTML {
        let rows: [HTML] = users.map { user in
            let state = user.passwordHash == nil ? "invited" : "active"
            return "<tr><td><a href=\"/people/\(user.name)\">\(user.name)</a></td><td>\(user.role.rawValue)</td><td>\(state)</td><td>\(user.invitedBy ?? "")</td></tr>"
        }
        let link: HTML = invitationLink.map {
            "<p class=\"notice\">Send this link to the person you invited (it is shown only once): <code>\($0)</code></p>"
        } ?? ""
        return layout(
            title: "People", signedIn: signedIn,
            """
            <h2>People</h2><table><tr><th>Name</th><th>Role</th><th>State</th><th>Invited by</th></tr>\(rows)</table>
            <h2>Invite a supervisor</h2>\(link)\(error(message))
            \(form(action: "/users", csrf: signedIn.csrfToken, """
                <label for="name">Name</label><input type="text" id="name" name="name" required>
                <p><button>Invite</button></p>
                """))
            """)
    }

    static func message(title: String, _ text: String, signedIn: SignedIn?) -> HTML {
        layout(title: title, signedIn: signedIn, "<h2>\(title)</h2><p>\(text)</p>")
    }
}
