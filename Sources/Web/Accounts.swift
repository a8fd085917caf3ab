import Foundation
import Store
import Synchronization

/// What is wrong with a name, a password or an invitation, as one line for a person.
public enum AccountError: Error, Equatable, CustomStringConvertible {
    case invalidName(String)
    case unusablePassword(String)
    case unknownInvitation

    public var description: String {
        switch self {
        case .invalidName(let name):
            "\(name.isEmpty ? "an empty name" : "the name \(name)") cannot be used: a name is 1 to 40 letters, digits, '-', '_' or '.'"
        case .unusablePassword(let problem): problem
        case .unknownInvitation: "this invitation is unknown or already used (ask the researcher for a new one)"
        }
    }
}

/// People's accounts: adding them (`ida users add`), inviting supervisors, signing in. Passwords
/// are kept as bcrypt hashes, sessions and invitations as SHA-256 hashes of their tokens.
public struct Accounts: Sendable {
    let store: any PeopleStore
    let hasher: PasswordHasher
    /// How long a session lasts from sign-in.
    let sessionLifetime: TimeInterval
    /// A hash of nothing anyone knows, checked against when the name is unknown (made once, on
    /// first need).
    private let decoy = Decoy()

    private final class Decoy: Sendable {
        let hash = Mutex<String?>(nil)
    }

    public init(store: any PeopleStore, hasher: PasswordHasher = PasswordHasher(), sessionLifetime: TimeInterval = 12 * 3600) {
        self.store = store
        self.hasher = hasher
        self.sessionLifetime = sessionLifetime
    }

    /// Adds `name` with `role` and `password`.
    ///
    /// - Throws: ``AccountError``, `StoreError.userExists`.
    public func add(name: String, role: UserRole, password: String, now: Date = Date()) throws {
        try Self.check(name: name)
        if let problem = PasswordHasher.problem(with: password) { throw AccountError.unusablePassword(problem) }
        try store.createUser(UserRecord(name: name, role: role, passwordHash: hasher.hash(password), createdAt: now))
    }

    /// Every user, by name.
    public func users() throws -> [UserRecord] {
        try store.users()
    }

    /// A new supervisor `name` invited by `researcher`: returns the invitation's token, shown
    /// once (only its hash is stored).
    func invite(name: String, by researcher: String, now: Date) throws -> String {
        try Self.check(name: name)
        let token = Credentials.newToken()
        try store.createUser(
            UserRecord(
                name: name, role: .supervisor, passwordHash: nil, invitationHash: Credentials.tokenHash(token),
                invitedBy: researcher, createdAt: now))
        return token
    }

    /// The user invited with `token`, if the invitation is still open.
    func invited(by token: String) throws -> UserRecord? {
        try store.user(invitationHash: Credentials.tokenHash(token))
    }

    /// Sets the password of the user invited with `token`, using up the invitation.
    ///
    /// - Throws: ``AccountError``.
    func accept(invitation token: String, password: String) throws -> UserRecord {
        guard let user = try invited(by: token) else { throw AccountError.unknownInvitation }
        if let problem = PasswordHasher.problem(with: password) { throw AccountError.unusablePassword(problem) }
        try store.setPassword(hash: hasher.hash(password), user: user.name)
        return user
    }

    /// Where bcrypt's work (a quarter of a second at a time) runs, one at a time, off Swift's
    /// cooperative threads (one per core): a burst of sign-ins then delays sign-ins, not every
    /// other request and the renewals of the leases of the questions a server holds.
    private static let bcrypt = DispatchQueue(label: "ida.bcrypt", qos: .userInitiated)

    /// `body`, which hashes or verifies a password, run on bcrypt's own queue.
    static func hashing<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            bcrypt.async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// A new session for `name` if `password` is theirs: its record and the cookie's token.
    func signIn(name: String, password: String, now: Date) throws -> (session: SessionRecord, token: String)? {
        guard let user = try store.user(named: name), let hash = user.passwordHash else {
            // As slow as a wrong password, so that the time taken does not tell which names exist.
            _ = hasher.verify(password, hash: decoy.hash.withLock { decoy in
                if decoy == nil { decoy = hasher.hash(Credentials.newToken()) }
                return decoy!
            })
            return nil
        }
        guard hasher.verify(password, hash: hash) else { return nil }
        let token = Credentials.newToken()
        let session = SessionRecord(
            tokenHash: Credentials.tokenHash(token), user: user.name, csrfToken: Credentials.newToken(), createdAt: now,
            expiresAt: now.addingTimeInterval(sessionLifetime))
        try store.createSession(session)
        return (session, token)
    }

    /// The signed-in person whose cookie holds `token`, if the session is open.
    func session(token: String, now: Date) throws -> SignedIn? {
        let hash = Credentials.tokenHash(token)
        guard let session = try store.session(tokenHash: hash, now: now), let user = try store.user(named: session.user)
        else { return nil }
        return SignedIn(user: user, tokenHash: hash, csrfToken: session.csrfToken)
    }

    func signOut(_ signedIn: SignedIn) throws {
        try store.deleteSession(tokenHash: signedIn.tokenHash)
    }

    static func check(name: String) throws {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
        }
        guard (1...40).contains(name.count), allowed else { throw AccountError.invalidName(name) }
    }
}
