import Amplification
import Application
import Foundation
import HTTPTypes
import Hummingbird
import Store
import Tasks

/// The web app's routes and what they do. Every route is declared once in ``routes`` with who
/// may use it; the router is built from that list, and the session middleware and
/// ``Access/admits(_:)`` enforce it before any handler runs, so no route can forget its check
/// (a test walks the router's routes and tries each without a session and with the wrong role).
struct WebApp: Sendable {
    let store: any ServerStore
    let accounts: Accounts
    let desk: PersonDesk
    let host: RunHost
    /// The shared runs' questions the server claims for its people, if it claims any.
    let queued: QueuedQuestions?
    let throttle: SignInThrottle
    /// Whether cookies carry `Secure` (browsers keep such cookies for `https` and for localhost).
    let secureCookies: Bool

    static let sessionCookie = "ida_session"
    /// The sign-in and invitation forms' CSRF token (double-submitted: cookie and field), set
    /// before anyone is signed in.
    static let formCookie = "ida_form"

    struct Route: Sendable {
        let method: HTTPRequest.Method
        let path: String
        let access: Access
        let handler: @Sendable (Request, WebContext) async throws -> Response
    }

    /// Every route of the app, with who may use it.
    var routes: [Route] {
        [
            Route(method: .get, path: "/static/ida.css", access: .everyone) { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                    body: .init(byteBuffer: ByteBuffer(string: Pages.stylesheet)))
            },
            Route(method: .get, path: "/static/ida.js", access: .everyone) { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"],
                    body: .init(byteBuffer: ByteBuffer(string: Pages.script)))
            },
            Route(method: .get, path: "/login", access: .everyone, handler: showSignIn),
            Route(method: .post, path: "/login", access: .everyone, handler: signIn),
            Route(method: .get, path: "/invitation/{token}", access: .everyone, handler: showInvitation),
            Route(method: .post, path: "/invitation/{token}", access: .everyone, handler: acceptInvitation),
            Route(method: .post, path: "/logout", access: .signedIn, handler: signOut),
            Route(method: .get, path: "/", access: .signedIn, handler: home),
            Route(method: .get, path: "/events", access: .signedIn, handler: events),
            Route(method: .get, path: "/work", access: .signedIn, handler: nextWorkspace),
            Route(method: .post, path: "/work/undo", access: .signedIn, handler: undo),
            Route(method: .get, path: "/work/{run}/{node}", access: .signedIn, handler: showWorkspace),
            Route(method: .post, path: "/work/{run}/{node}", access: .signedIn, handler: act),
            Route(method: .post, path: "/work/{run}/{node}/reveal", access: .signedIn, handler: reveal),
            Route(method: .post, path: "/work/{run}/{node}/skip", access: .signedIn, handler: skip),
            Route(method: .post, path: "/runs", access: .researcher, handler: startRun),
            Route(method: .post, path: "/runs/train", access: .researcher, handler: startTraining),
            Route(method: .get, path: "/runs/{run}", access: .researcher, handler: showRun),
            Route(method: .get, path: "/runs/{run}/audit", access: .researcher, handler: showAudit),
            Route(method: .get, path: "/runs/{run}/nodes/{node}", access: .researcher, handler: showNode),
            Route(method: .post, path: "/runs/{run}/nodes/{node}/correct", access: .researcher, handler: correct),
            Route(method: .post, path: "/runs/{run}/pause", access: .researcher) { try await control($0, $1, .pause) },
            Route(method: .post, path: "/runs/{run}/resume", access: .researcher) { try await control($0, $1, .resume) },
            Route(method: .post, path: "/runs/{run}/stop", access: .researcher) { try await control($0, $1, .stop) },
            Route(method: .get, path: "/users", access: .researcher, handler: showPeople),
            Route(method: .post, path: "/users", access: .researcher, handler: invite),
            Route(method: .get, path: "/people/{name}", access: .researcher, handler: showPerson),
        ]
    }

    /// The router: security headers and the session on every response and request, then each
    /// route behind its access check (and, for a signed-in POST, the session's CSRF token).
    func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: SecurityHeaders())
        router.add(middleware: SessionLoader(accounts: accounts))
        for route in routes {
            let (access, handler) = (route.access, route.handler)
            router.on(RouterPath(route.path), method: route.method) { request, context -> Response in
                guard access.admits(context.signedIn?.user.role) else {
                    if context.signedIn == nil && request.method == .get { return .redirect(to: "/login", type: .found) }
                    return Self.page(Pages.message(title: "Not allowed", "You may not do this.", signedIn: context.signedIn), status: .forbidden)
                }
                if access != .everyone && request.method == .post {
                    var request = request
                    let form = try await Self.form(of: &request, context: context)
                    guard let signedIn = context.signedIn, let csrf = form["csrf"],
                        Credentials.constantTimeEqual(csrf, signedIn.csrfToken)
                    else {
                        return Self.page(
                            Pages.message(title: "Form expired", "Reload the page and try again.", signedIn: context.signedIn),
                            status: .forbidden)
                    }
                    var context = context
                    context.form = form
                    return try await handler(request, context)
                }
                return try await handler(request, context)
            }
        }
        return router
    }

    // MARK: - Signing in

    func showSignIn(_ request: Request, _ context: WebContext) async throws -> Response {
        if context.signedIn != nil { return .redirect(to: "/", type: .found) }
        return signInPage(context: context)
    }

    private func signInPage(context: WebContext, name: String = "", message: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let token = Credentials.newToken()
        var response = Self.page(Pages.signIn(csrf: token, name: name, message: message), status: status)
        response.setCookie(formCookie(token))
        return response
    }

    func signIn(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await Self.form(of: &request, context: context)
        guard Self.formTokenMatches(request, form) else {
            return signInPage(context: context, message: "The form expired: try again.", status: .forbidden)
        }
        let name = form["name"] ?? ""
        let now = Date()
        let keys = ["name:" + name] + (context.remoteAddress?.ipAddress.map { ["address:" + $0] } ?? [])
        guard await throttle.allows(keys, now: now) else {
            try store.appendAudit([AuditEntry(at: now, user: name, action: .signInRefused, detail: "too many failed attempts")])
            return signInPage(
                context: context, name: name, message: "Too many failed attempts: wait a few minutes and try again.",
                status: .tooManyRequests)
        }
        let (accounts, password) = (self.accounts, form["password"] ?? "")
        guard let (session, token) = try await Accounts.hashing({ try accounts.signIn(name: name, password: password, now: now) }) else {
            await throttle.recordFailure(keys, now: now)
            try store.appendAudit([AuditEntry(at: now, user: name, action: .signInRefused, detail: "wrong name or password")])
            return signInPage(context: context, name: name, message: "Wrong name or password.", status: .unauthorized)
        }
        await throttle.recordSuccess(name: keys[0])
        try store.appendAudit([AuditEntry(at: now, user: session.user, action: .signIn)])
        var response = Response.redirect(to: "/", type: .normal)
        response.setCookie(
            Cookie(
                name: Self.sessionCookie, value: token, expires: session.expiresAt, path: "/", secure: secureCookies,
                httpOnly: true, sameSite: .strict))
        return response
    }

    func signOut(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let signedIn = context.signedIn else { return .redirect(to: "/login", type: .normal) }
        try accounts.signOut(signedIn)
        await desk.release(signedIn.user.name)
        try store.appendAudit([AuditEntry(at: Date(), user: signedIn.user.name, action: .signOut)])
        var response = Response.redirect(to: "/login", type: .normal)
        response.setCookie(
            Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    func showInvitation(_ request: Request, _ context: WebContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let user = try accounts.invited(by: token) else {
            return Self.page(Pages.message(title: "Unknown invitation", AccountError.unknownInvitation.description, signedIn: nil), status: .notFound)
        }
        let formToken = Credentials.newToken()
        var response = Self.page(Pages.invitation(user: user, token: token, csrf: formToken))
        response.setCookie(formCookie(formToken))
        return response
    }

    func acceptInvitation(_ request: Request, _ context: WebContext) async throws -> Response {
        let token = try context.parameters.require("token")
        var request = request
        let form = try await Self.form(of: &request, context: context)
        guard let user = try accounts.invited(by: token) else {
            return Self.page(Pages.message(title: "Unknown invitation", AccountError.unknownInvitation.description, signedIn: nil), status: .notFound)
        }
        guard Self.formTokenMatches(request, form) else {
            return try await showInvitation(request, context)
        }
        do {
            let (accounts, password) = (self.accounts, form["password"] ?? "")
            _ = try await Accounts.hashing { try accounts.accept(invitation: token, password: password) }
        } catch let error as AccountError {
            let formToken = Credentials.newToken()
            var response = Self.page(
                Pages.invitation(user: user, token: token, csrf: formToken, message: error.description), status: .unprocessableContent)
            response.setCookie(formCookie(formToken))
            return response
        }
        try store.appendAudit([AuditEntry(at: Date(), user: user.name, action: .acceptInvitation)])
        return signInPage(context: context, name: user.name, message: nil)
    }

    // MARK: - Working workspaces

    func home(_ request: Request, _ context: WebContext) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let runs = try store.runs().filter(RunHost.isPeoples)
        return Self.page(Pages.home(signedIn: signedIn, runs: runs))
    }

    func nextWorkspace(_ request: Request, _ context: WebContext) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let version = await desk.version
        var taken = await desk.take(for: signedIn.user.name)
        if taken == nil, let queued { taken = try await queued.claim(for: signedIn.user.name) }
        guard let (key, _, handedOut) = taken else {
            return Self.page(Pages.nothingWaiting(signedIn: signedIn, version: version))
        }
        if handedOut {
            try store.appendAudit([AuditEntry(at: Date(), user: signedIn.user.name, action: .take, run: key.run, node: key.node.description)])
        }
        return .redirect(to: "/work/\(key.run)/\(key.node)", type: .found)
    }

    func showWorkspace(_ request: Request, _ context: WebContext) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let key = try context.workspaceKey()
        do {
            // Logged when it is handed out, not at every view of the page (which reloads itself).
            let (workspace, handedOut) = try await desk.open(key, for: signedIn.user.name)
            if handedOut {
                try store.appendAudit([AuditEntry(at: Date(), user: signedIn.user.name, action: .take, run: key.run, node: key.node.description)])
            }
            return Self.page(try await workspacePage(workspace, key: key, signedIn: signedIn))
        } catch let refusal as PersonDesk.Refusal {
            return Self.page(Pages.message(title: "Not available", refusal.description, signedIn: signedIn), status: .conflict)
        }
    }

    private func workspacePage(
        _ workspace: Workspace, key: PersonDesk.Key, signedIn: SignedIn, message: String? = nil, typed: String = ""
    ) async throws -> HTML {
        let domain = try await host.domain(of: key.run)
        // The person's own entries, not the run's: a run worked by many people has many more.
        let looked = Set(
            try store.audit(user: signedIn.user.name).filter {
                ($0.action == .lookup || $0.action == .reveal) && $0.run == key.run && $0.node == key.node.description
            }.map(\.detail))
        let revealed = Set(
            workspace.exchanges.indices.filter { looked.contains(domain.render(workspace.exchanges[$0].question)) })
        return Pages.workspace(
            workspace, key: key, domain: domain, revealed: revealed, review: await desk.isReview(key), signedIn: signedIn,
            message: message, typed: typed)
    }

    func act(_ request: Request, _ context: WebContext) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let key = try context.workspaceKey()
        let form = context.form
        let domain = try await host.domain(of: key.run)
        let text = form["text"] ?? ""
        let workspace: Workspace
        do {
            workspace = try await desk.open(key, for: signedIn.user.name).workspace
        } catch let refusal as PersonDesk.Refusal {
            return Self.page(Pages.message(title: "Not available", refusal.description, signedIn: signedIn), status: .conflict)
        }
        func refuse(_ problem: String) async throws -> Response {
            try store.appendAudit([
                AuditEntry(
                    at: Date(), user: signedIn.user.name, action: .refused, run: key.run, node: key.node.description,
                    detail: "\(form["kind"] ?? "?") \(text): \(problem)")
            ])
            return Self.page(
                try await workspacePage(workspace, key: key, signedIn: signedIn, message: problem, typed: text),
                status: .unprocessableContent)
        }
        let subquestion: Bool
        switch form["kind"] {
        case "ask": subquestion = true
        case "answer": subquestion = false
        default: return try await refuse("Choose Ask or Answer.")
        }
        let action: SupervisorAction
        do {
            let content = try domain.parse(text, subquestion: subquestion)
            action = subquestion ? .ask(content) : .answer(content)
        } catch {
            return try await refuse("\(error)")
        }
        if let rejection = domain.rejection(of: action) { return try await refuse(rejection.description) }
        if await desk.isReview(key) {
            guard case .answer = action else {
                return try await refuse("An answer below this workspace was corrected: give its answer again (it may stay the same).")
            }
            return try await answerAgain(text, on: key, by: signedIn, seconds: await desk.secondsHeld(key, by: signedIn.user.name))
        }
        let kind: AuditAction =
            switch action {
            case .ask(let question): domain.isLeaf(question) ? .lookup : .ask
            case .answer: .answer
            }
        let seconds = await desk.secondsHeld(key, by: signedIn.user.name)
        do {
            try await desk.act(action, on: key, by: signedIn.user.name)
        } catch let refusal as PersonDesk.Refusal {
            return try await refuse(refusal.description)
        }
        try store.appendAudit([
            AuditEntry(
                at: Date(), user: signedIn.user.name, action: kind, run: key.run, node: key.node.description,
                detail: domain.render(action.content), seconds: seconds)
        ])
        return .redirect(to: "/work", type: .normal)
    }

    /// A stale answer given again: stored as a correction (a version even when it is unchanged),
    /// after which the stale answers above it are offered in turn.
    private func answerAgain(_ text: String, on key: PersonDesk.Key, by signedIn: SignedIn, seconds: Double?) async throws
        -> Response
    {
        let added = try Correcting.correct(
            run: key.run, node: key.node, answer: text, reason: "given again after a correction below", by: signedIn.user.name,
            at: Date(), confirming: true, in: store)
        try await desk.completeReview(key, by: signedIn.user.name)
        try store.appendAudit([
            AuditEntry(
                at: added.at, user: signedIn.user.name, action: .correct, run: key.run, node: key.node.description,
                detail: "v\(added.version), given again: \(text)", seconds: seconds)
        ])
        try await host.offerStale(key.run)
        return .redirect(to: "/work", type: .normal)
    }

    func reveal(_ request: Request, _ context: WebContext) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let key = try context.workspaceKey()
        do {
            let workspace = try await desk.open(key, for: signedIn.user.name).workspace
            let domain = try await host.domain(of: key.run)
            guard let position = context.form["position"].flatMap(Int.init), workspace.exchanges.indices.contains(position),
                domain.isLeaf(workspace.exchanges[position].question)
            else {
                return Self.page(
                    try await workspacePage(workspace, key: key, signedIn: signedIn, message: "There is no such lookup."),
                    status: .unprocessableContent)
            }
            try store.appendAudit([
                AuditEntry(
                    at: Date(), user: signedIn.user.name, action: .reveal, run: key.run, node: key.node.description,
                    detail: domain.render(workspace.exchanges[position].question))
            ])
            return .redirect(to: "/work/\(key.run)/\(key.node)", type: .normal)
        } catch let refusal as PersonDesk.Refusal {
            return Self.page(Pages.message(title: "Not available", refusal.description, signedIn: signedIn), status: .conflict)
        }
    }

    func skip(_ request: Request, _ context: WebContext) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let key = try context.workspaceKey()
        do {
            try await desk.skip(key, by: signedIn.user.name)
        } catch let refusal as PersonDesk.Refusal {
            return Self.page(Pages.message(title: "Not available", refusal.description, signedIn: signedIn), status: .conflict)
        }
        try store.appendAudit([AuditEntry(at: Date(), user: signedIn.user.name, action: .skip, run: key.run, node: key.node.description)])
        return .redirect(to: "/work", type: .normal)
    }

    /// Takes back the person's last action, while nothing depends on it; the workspace comes
    /// back to them.
    func undo(_ request: Request, _ context: WebContext) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        do {
            _ = try await host.undoLastAction(of: signedIn.user.name)
        } catch let refusal as RunHost.UndoRefusal {
            return Self.page(Pages.message(title: "Cannot undo", "Cannot undo: \(refusal.description).", signedIn: signedIn), status: .conflict)
        }
        return .redirect(to: "/work", type: .normal)
    }

    /// Server-sent events: `change` with the desk's version each time it moves past `since`, a
    /// comment every 15 s to keep the connection open, until the browser leaves.
    func events(_ request: Request, _ context: WebContext) async throws -> Response {
        let since = request.uri.queryParameters.get("since", as: Int.self) ?? 0
        let desk = self.desk
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                var seen = since
                while !Task.isCancelled {
                    let version = await desk.change(after: seen, timeout: .seconds(15))
                    if version == seen {
                        try await writer.write(ByteBuffer(string: ": waiting\n\n"))
                    } else {
                        seen = version
                        try await writer.write(ByteBuffer(string: "event: change\ndata: \(version)\n\n"))
                    }
                }
                try await writer.finish(nil)
            })
    }

    // MARK: - Runs (researchers)

    func startRun(_ request: Request, _ context: WebContext) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let form = context.form
        let (text, depthText) = (form["questions"] ?? "", form["depth"] ?? "")
        func refuse(_ problem: String) throws -> Response {
            let runs = try store.runs().filter(RunHost.isPeoples)
            return Self.page(
                Pages.home(signedIn: signedIn, runs: runs, message: problem, questions: text, depth: depthText),
                status: .unprocessableContent)
        }
        guard let depth = Int(depthText.trimmingCharacters(in: .whitespaces)), (0...10).contains(depth) else {
            return try refuse("The depth must be a whole number from 0 to 10.")
        }
        let job: StoredTree.Job
        if let task = form["task"] {
            guard TaskCatalog.taskNames.contains(task) else { return try refuse("There is no task \(task).") }
            let preset = form["preset"] ?? "small"
            guard ["tiny", "small"].contains(preset) else { return try refuse("The preset is tiny or small.") }
            guard let instances = Int(form["instances"] ?? ""), (1...50).contains(instances) else {
                return try refuse("The number of instances must be a whole number from 1 to 50.")
            }
            guard let seed = UInt64(form["seed"] ?? "") else { return try refuse("The seed must be a whole number.") }
            job = .task(AmplificationJob(task: task, preset: preset, seed: seed, instances: instances, depth: depth))
        } else {
            do {
                job = .text(TextJob(questions: try QuestionFile.parse(text), depth: depth, assistant: .hch))
            } catch {
                return try refuse("\(error)")
            }
        }
        do {
            let run = try await host.start(job, by: signedIn.user.name)
            return .redirect(to: "/runs/\(run)", type: .normal)
        } catch let error as ApplicationError {
            return try refuse(error.description)
        }
    }

    func showRun(_ request: Request, _ context: WebContext) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let id = try context.parameters.require("run")
        guard let run = try? store.run(id: id), RunHost.isPeoples(run) else {
            return Self.page(Pages.message(title: "No such run", "No run worked by people has id \(id).", signedIn: signedIn), status: .notFound)
        }
        if run.kind == .group { return try await trainingPage(run, signedIn: signedIn) }
        let domain = try await host.domain(of: id)
        let corrected = try CorrectedTree.load(run: id, in: store)
        let tree = corrected.trees(unknown: domain.unknownAnswer).enumerated()
            .map { $1.rendered(in: domain, id: WorkspaceID(root: $0 + 1)) }.joined(separator: "\n")
        let (paused, version) = (await desk.isPaused(id), await desk.version)
        return Self.page(
            Pages.run(
                run, summary: try PeopleRunSummary.of(run: id, in: store), tree: tree,
                nodes: corrected.snapshots.sorted { $0.id < $1.id }.map { Self.row($0, corrected, domain) },
                waiting: await desk.waitingWorkspaces(of: id), paused: paused, hosted: await host.hosts(id), version: version,
                signedIn: signedIn))
    }

    private func trainingPage(_ run: RunRecord, signedIn: SignedIn) async throws -> Response {
        let configuration = try JobConfiguration.decode(run.configuration, run: run.id)
        let report = run.status == .completed ? try? TrainingJob.report(of: run.id, in: store).reports.first : nil
        let (paused, version) = (await desk.isPaused(run.id), await desk.version)
        let training = await host.training(run.id)
        return Self.page(
            Pages.training(
                run, configuration: configuration, sides: await training?.sides ?? [], failure: await training?.failure,
                report: report,
                audit: try store.audit(run: run.id), waiting: await desk.waitingWorkspaces(of: run.id), paused: paused,
                hosted: await host.hosts(run.id), version: version, signedIn: signedIn))
    }

    /// Starts IA on a task whose H′ learns from people's demonstrations.
    func startTraining(_ request: Request, _ context: WebContext) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let form = context.form
        func refuse(_ problem: String) throws -> Response {
            Self.page(
                Pages.home(signedIn: signedIn, runs: try store.runs().filter(RunHost.isPeoples), message: problem),
                status: .unprocessableContent)
        }
        guard let task = form["task"], TaskCatalog.taskNames.contains(task) else { return try refuse("There is no such task.") }
        let preset = form["preset"] ?? "tiny"
        guard ["tiny", "small"].contains(preset) else { return try refuse("The preset is tiny or small.") }
        guard let seed = UInt64(form["seed"] ?? "") else { return try refuse("The seed must be a whole number.") }
        let stepsText = (form["steps"] ?? "").trimmingCharacters(in: .whitespaces)
        let steps = Int(stepsText)
        guard stepsText.isEmpty || (steps.map { (1...1_000_000).contains($0) } ?? false) else {
            return try refuse("The steps must be a whole number from 1 to 1,000,000, or empty for the preset's.")
        }
        let configuration = JobConfiguration(
            tasks: [task], preset: preset, schedule: .continuous, seed: seed, steps: steps, supervisor: .people)
        do {
            let run = try await host.startTraining(configuration, by: signedIn.user.name)
            return .redirect(to: "/runs/\(run)", type: .normal)
        } catch {
            // A job the catalog or the training configuration refuses, said in place.
            return try refuse("\(error)")
        }
    }

    static func row(_ snapshot: WorkspaceSnapshot, _ corrected: CorrectedTree, _ domain: any Domain) -> Pages.NodeRow {
        Pages.NodeRow(
            id: snapshot.id, question: domain.render(snapshot.workspace.question), answer: snapshot.answer.map(domain.render),
            answeredBy: snapshot.answeredBy.description, corrected: corrected.latest[snapshot.id]?.version,
            stale: corrected.stale.contains(snapshot.id))
    }

    func showNode(_ request: Request, _ context: WebContext) async throws -> Response {
        try await nodePage(context)
    }

    private func nodePage(_ context: WebContext, message: String? = nil, typed: String = "") async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let key = try context.workspaceKey()
        guard (try? store.run(id: key.run))?.schedule == RunHost.schedule else {
            return Self.page(Pages.message(title: "No such run", "No run worked by people has id \(key.run).", signedIn: signedIn), status: .notFound)
        }
        let domain = try await host.domain(of: key.run)
        let corrected = try CorrectedTree.load(run: key.run, in: store)
        guard let snapshot = corrected.snapshots.first(where: { $0.id == key.node }) else {
            return Self.page(Pages.message(title: "No such workspace", "Run \(key.run) has no workspace \(key.node).", signedIn: signedIn), status: .notFound)
        }
        let render: (String?) -> String = { json in
            guard let json, let content = try? JSONDecoder().decode(Content.self, from: Data(json.utf8)) else { return "none" }
            return domain.render(content)
        }
        return Self.page(
            Pages.node(
                run: key.run, row: Self.row(snapshot, corrected, domain), versions: corrected.versions[key.node] ?? [], render: render,
                signedIn: signedIn, message: message, typed: typed),
            status: message == nil ? .ok : .unprocessableContent)
    }

    func correct(_ request: Request, _ context: WebContext) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let key = try context.workspaceKey()
        let (answer, reason) = (context.form["answer"] ?? "", context.form["reason"] ?? "")
        let added: CorrectionRecord
        do {
            added = try Correcting.correct(
                run: key.run, node: key.node, answer: answer, reason: reason, by: signedIn.user.name, at: Date(), in: store)
        } catch let error as ApplicationError {
            return try await nodePage(context, message: error.description, typed: answer)
        }
        try store.appendAudit([
            AuditEntry(
                at: added.at, user: signedIn.user.name, action: .correct, run: key.run, node: key.node.description,
                detail: "v\(added.version): \(answer)" + (reason.isEmpty ? "" : " (\(reason))"))
        ])
        try await host.offerStale(key.run)
        return .redirect(to: "/runs/\(key.run)/nodes/\(key.node)", type: .normal)
    }

    func showAudit(_ request: Request, _ context: WebContext) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let id = try context.parameters.require("run")
        return Self.page(Pages.audit(run: id, entries: try store.audit(run: id), signedIn: signedIn))
    }

    enum Control { case pause, resume, stop }

    func control(_ request: Request, _ context: WebContext, _ control: Control) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let id = try context.parameters.require("run")
        guard await host.hosts(id) else {
            return Self.page(Pages.message(title: "Not running", "Run \(id) is not being worked here.", signedIn: signedIn), status: .conflict)
        }
        switch control {
        case .pause: try await host.pause(id, by: signedIn.user.name)
        case .resume: try await host.resume(id, by: signedIn.user.name)
        case .stop: try await host.stop(id, by: signedIn.user.name)
        }
        return .redirect(to: "/runs/\(id)", type: .normal)
    }

    // MARK: - People (researchers)

    func showPeople(_ request: Request, _ context: WebContext) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        return Self.page(Pages.people(users: try accounts.users(), signedIn: signedIn))
    }

    func showPerson(_ request: Request, _ context: WebContext) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let name = try context.parameters.require("name")
        guard let user = try store.user(named: name) else {
            return Self.page(Pages.message(title: "Nobody by that name", "No one is called \(name).", signedIn: signedIn), status: .notFound)
        }
        return Self.page(Pages.person(user, entries: try store.audit(user: name), signedIn: signedIn))
    }

    func invite(_ request: Request, _ context: WebContext) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let name = context.form["name"] ?? ""
        do {
            let token = try accounts.invite(name: name, by: signedIn.user.name, now: Date())
            try store.appendAudit([AuditEntry(at: Date(), user: signedIn.user.name, action: .invite, detail: name)])
            let origin = request.head.authority.map { "http://\($0)" } ?? ""
            return Self.page(
                Pages.people(users: try accounts.users(), signedIn: signedIn, invitationLink: "\(origin)/invitation/\(token)"))
        } catch let error as AccountError {
            return Self.page(Pages.people(users: try accounts.users(), signedIn: signedIn, message: error.description), status: .unprocessableContent)
        } catch let error as StoreError {
            return Self.page(Pages.people(users: try accounts.users(), signedIn: signedIn, message: error.description), status: .unprocessableContent)
        }
    }

    // MARK: - Helpers

    static func page(_ html: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html.rendered)))
    }

    static func form(of request: inout Request, context: WebContext) async throws -> Form {
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        return Form(parsing: String(buffer: body))
    }

    private func formCookie(_ token: String) -> Cookie {
        Cookie(name: Self.formCookie, value: token, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    private static func formTokenMatches(_ request: Request, _ form: Form) -> Bool {
        guard let cookie = request.cookies[formCookie]?.value, let field = form["csrf"], !cookie.isEmpty else { return false }
        return Credentials.constantTimeEqual(cookie, field)
    }
}

extension WebContext {
    func requireSignedIn() throws -> SignedIn {
        guard let signedIn else { throw HTTPError(.unauthorized) }
        return signedIn
    }

    func workspaceKey() throws -> PersonDesk.Key {
        let run = try parameters.require("run")
        guard let node = WorkspaceID(try parameters.require("node")) else { throw HTTPError(.notFound) }
        return PersonDesk.Key(run: run, node: node)
    }
}

/// Loads the session named by the cookie, if it is open.
struct SessionLoader: RouterMiddleware {
    let accounts: Accounts

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[WebApp.sessionCookie]?.value, !token.isEmpty {
            context.signedIn = try accounts.session(token: token, now: Date())
        }
        return try await next(request, context)
    }
}

/// Headers on every response: no framing, no sniffing, scripts and styles from this server only.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = WebContext

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return response
    }
}
