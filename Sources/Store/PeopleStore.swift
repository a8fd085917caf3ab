import Foundation

/// What a person may do in the web app. The schema checks the raw values.
public enum UserRole: String, Codable, Sendable, Hashable, CaseIterable {
    /// Starts, pauses, resumes and stops runs, invites supervisors, corrects answers.
    case researcher
    /// Works the workspaces handed to them.
    case supervisor
}

/// A person who can sign in: the name is the key, and the agent `person:NAME` in traces.
///
/// Only a password's bcrypt hash is kept, and only an invitation's SHA-256 hash: whoever reads
/// the database can sign in as nobody.
public struct UserRecord: Sendable, Hashable {
    public var name: String
    public var role: UserRole
    /// The bcrypt hash of the password; `nil` until an invitation is accepted.
    public var passwordHash: String?
    /// The hash of the invitation token not yet used, if any.
    public var invitationHash: String?
    /// Who invited them (`nil` for a user made on the command line).
    public var invitedBy: String?
    public var createdAt: Date

    public init(
        name: String, role: UserRole, passwordHash: String?, invitationHash: String? = nil, invitedBy: String? = nil,
        createdAt: Date
    ) {
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.invitationHash = invitationHash
        self.invitedBy = invitedBy
        self.createdAt = createdAt
    }
}

/// A signed-in browser: keyed by the hash of the cookie's token, so the database holds no
/// session a reader could take over.
public struct SessionRecord: Sendable, Hashable {
    public var tokenHash: String
    public var user: String
    /// The token every form of this session must carry back (the cookie alone is not enough).
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(tokenHash: String, user: String, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.user = user
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// What the audit log records. The schema keeps the raw values as text.
public enum AuditAction: String, Codable, Sendable, Hashable, CaseIterable {
    case signIn = "sign-in"
    case signOut = "sign-out"
    case signInRefused = "sign-in-refused"
    case invite
    case acceptInvitation = "accept-invitation"
    case startRun = "start-run"
    case pause
    case resume
    case stop
    /// A workspace handed to a person.
    case take
    case skip
    /// A sub-question asked.
    case ask
    /// A hidden fact looked up (a leaf question asked).
    case lookup
    /// A fact looked up earlier in a workspace shown to a second person, at their request.
    case reveal
    case answer
    /// A person's own last action taken back, while nothing depended on it.
    case undo
    case refused
    case correct
}

/// One line of the append-only audit log: who did what, when, where.
public struct AuditEntry: Sendable, Hashable {
    /// The entry's place in the log (set by the store; `0` before it is appended).
    public var sequence: Int64
    public var at: Date
    /// The person, or `nil` for the server itself.
    public var user: String?
    public var action: AuditAction
    public var run: String?
    /// The workspace (`1.2`), if the action was on one.
    public var node: String?
    /// What was asked, answered or changed, as shown to the person.
    public var detail: String
    /// For an action on a workspace, the seconds since the person was handed it (or since their
    /// previous action on it): time spent, logged, never enforced.
    public var seconds: Double?

    public init(
        sequence: Int64 = 0, at: Date, user: String?, action: AuditAction, run: String? = nil, node: String? = nil,
        detail: String = "", seconds: Double? = nil
    ) {
        self.sequence = sequence
        self.at = at
        self.user = user
        self.action = action
        self.run = run
        self.node = node
        self.detail = detail
        self.seconds = seconds
    }
}

/// What people do with a database: their accounts and sessions, the audit log of their actions,
/// and their corrections of stored answers, kept beside the runs (the web app and `ida users`
/// write it; training reads only the corrections, through the export).
///
/// Every write is one transaction; times are passed in.
public protocol PeopleStore: Sendable {
    /// Adds a user.
    ///
    /// - Throws: ``StoreError/userExists(name:)`` when the name is taken.
    func createUser(_ user: UserRecord) throws
    func user(named name: String) throws -> UserRecord?
    /// The user whose unused invitation has hash `invitationHash`, if any.
    func user(invitationHash: String) throws -> UserRecord?
    /// Every user, by name.
    func users() throws -> [UserRecord]
    /// Sets a user's password hash and uses up their invitation.
    ///
    /// - Throws: ``StoreError/userNotFound(name:)``.
    func setPassword(hash: String, user name: String) throws

    func createSession(_ session: SessionRecord) throws
    /// The session whose token has hash `tokenHash`, if it has not expired at `now`.
    func session(tokenHash: String, now: Date) throws -> SessionRecord?
    func deleteSession(tokenHash: String) throws
    /// Removes the sessions expired at `now`.
    func deleteExpiredSessions(now: Date) throws

    /// Appends `entries` to the log, in order.
    func appendAudit(_ entries: [AuditEntry]) throws
    /// The log of one run (`nil`: the entries of no run, such as sign-ins), oldest first.
    func audit(run: String?) throws -> [AuditEntry]
    /// What one person did, in every run, oldest first.
    func audit(user: String) throws -> [AuditEntry]

    /// Adds `correction` as the next version of its node's answer, and returns it with its
    /// version (1 for a node's first). Earlier versions are kept.
    ///
    /// - Throws: ``StoreError/runNotFound(id:)``.
    func addCorrection(_ correction: CorrectionRecord) throws -> CorrectionRecord
    /// Every correction of run `run`, by node, then version.
    func corrections(run: String) throws -> [CorrectionRecord]
}

/// A person's correction of one stored answer: a new version that never overwrites the answer
/// it corrects (that stays in the tree, and in ``before``).
public struct CorrectionRecord: Sendable, Hashable {
    public var run: String
    /// The workspace whose answer is corrected (`1.2`).
    public var node: String
    /// 1 for a node's first correction (set by the store).
    public var version: Int
    public var author: String
    public var at: Date
    /// The answer corrected (the tree's, or the previous version's), as stored content JSON;
    /// `nil` when the node had none.
    public var before: String?
    /// The answer now, as stored content JSON.
    public var after: String
    /// Why, in the author's words (may be empty).
    public var reason: String

    public init(
        run: String, node: String, version: Int = 0, author: String, at: Date, before: String?, after: String, reason: String = ""
    ) {
        self.run = run
        self.node = node
        self.version = version
        self.author = author
        self.at = at
        self.before = before
        self.after = after
        self.reason = reason
    }
}

/// A store that keeps both runs and people: what the web app needs.
public typealias ServerStore = PeopleStore & RunStore
