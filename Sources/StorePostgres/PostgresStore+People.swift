import Foundation
import PostgresNIO
import Store

// MARK: - People: accounts, sessions, the audit log

extension PostgresStore: PeopleStore {
    public func createUser(_ user: UserRecord) throws {
        StoreRequirements.validateUser(user)
        let inserted = try connections.rows(
            """
            INSERT INTO account (name, role, passwordHash, invitationHash, invitedBy, createdAt)
            VALUES (\(user.name), \(user.role.rawValue), \(user.passwordHash), \(user.invitationHash), \(user.invitedBy),
                    \(user.createdAt))
            ON CONFLICT (name) DO NOTHING RETURNING name
            """)
        guard !inserted.isEmpty else { throw StoreError.userExists(name: user.name) }
    }

    public func user(named name: String) throws -> UserRecord? {
        try connections.rows("SELECT \(unescaped: Self.userColumns) FROM account WHERE name = \(name)").first.map(Self.userRecord)
    }

    public func user(invitationHash: String) throws -> UserRecord? {
        try connections.rows("SELECT \(unescaped: Self.userColumns) FROM account WHERE invitationHash = \(invitationHash)")
            .first.map(Self.userRecord)
    }

    public func users() throws -> [UserRecord] {
        try connections.rows("SELECT \(unescaped: Self.userColumns) FROM account ORDER BY name").map(Self.userRecord)
    }

    public func setPassword(hash: String, user name: String) throws {
        let updated = try connections.rows(
            "UPDATE account SET passwordHash = \(hash), invitationHash = NULL WHERE name = \(name) RETURNING name")
        guard !updated.isEmpty else { throw StoreError.userNotFound(name: name) }
    }

    public func createSession(_ session: SessionRecord) throws {
        _ = try connections.rows(
            """
            INSERT INTO accountSession (tokenHash, account, csrfToken, createdAt, expiresAt)
            VALUES (\(session.tokenHash), \(session.user), \(session.csrfToken), \(session.createdAt), \(session.expiresAt))
            """)
    }

    public func session(tokenHash: String, now: Date) throws -> SessionRecord? {
        try connections.rows(
            """
            SELECT tokenHash, account, csrfToken, createdAt, expiresAt FROM accountSession
            WHERE tokenHash = \(tokenHash) AND expiresAt > \(now)
            """
        ).first.map { row in
            let (tokenHash, user, csrfToken, createdAt, expiresAt) = try row.decode((String, String, String, Date, Date).self)
            return SessionRecord(tokenHash: tokenHash, user: user, csrfToken: csrfToken, createdAt: createdAt, expiresAt: expiresAt)
        }
    }

    public func deleteSession(tokenHash: String) throws {
        _ = try connections.rows("DELETE FROM accountSession WHERE tokenHash = \(tokenHash)")
    }

    public func deleteExpiredSessions(now: Date) throws {
        _ = try connections.rows("DELETE FROM accountSession WHERE expiresAt <= \(now)")
    }

    public func appendAudit(_ entries: [AuditEntry]) throws {
        guard !entries.isEmpty else { return }
        try connections.transaction { connection in
            try connections.pipeline(
                entries.map { entry in
                    """
                    INSERT INTO auditEntry (at, account, action, runId, node, detail, seconds)
                    VALUES (\(entry.at), \(entry.user), \(entry.action.rawValue), \(entry.run), \(entry.node), \(entry.detail),
                            \(entry.seconds))
                    """
                }, on: connection)
        }
    }

    public func audit(run: String?) throws -> [AuditEntry] {
        try auditEntries(
            """
            SELECT sequence, at, account, action, runId, node, detail, seconds FROM auditEntry
            WHERE runId IS NOT DISTINCT FROM \(run) ORDER BY sequence
            """)
    }

    public func audit(user: String) throws -> [AuditEntry] {
        try auditEntries(
            """
            SELECT sequence, at, account, action, runId, node, detail, seconds FROM auditEntry
            WHERE account = \(user) ORDER BY sequence
            """)
    }

    private func auditEntries(_ query: PostgresQuery) throws -> [AuditEntry] {
        try connections.rows(query).map { row in
            let (sequence, at, user, action, run, node, detail, seconds) =
                try row.decode((Int64, Date, String?, String, String?, String?, String, Double?).self)
            guard let known = AuditAction(rawValue: action) else {
                throw PostgresStoreError.corrupt("audit entry has unknown action \(action)")
            }
            return AuditEntry(
                sequence: sequence, at: at, user: user, action: known, run: run, node: node, detail: detail, seconds: seconds)
        }
    }

    private static let userColumns = "name, role, passwordHash, invitationHash, invitedBy, createdAt"

    private static func userRecord(from row: PostgresRow) throws -> UserRecord {
        let (name, role, passwordHash, invitationHash, invitedBy, createdAt) =
            try row.decode((String, String, String?, String?, String?, Date).self)
        guard let known = UserRole(rawValue: role) else {
            throw PostgresStoreError.corrupt("account has unknown role \(role)")
        }
        return UserRecord(
            name: name, role: known, passwordHash: passwordHash, invitationHash: invitationHash, invitedBy: invitedBy,
            createdAt: createdAt)
    }
}

// MARK: - Corrections

extension PostgresStore {
    public func addCorrection(_ correction: CorrectionRecord) throws -> CorrectionRecord {
        try write(run: correction.run) { session in
            // One correction of a run at a time: the next version is read and written under the run's row lock.
            try session.execute("SELECT 1 FROM run WHERE id = \(correction.run) FOR UPDATE")
            var added = correction
            added.version = try session.rows(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM correction WHERE runId = \(correction.run) AND node = \(correction.node)"
            )[0].decode(Int.self)
            try session.execute(
                """
                INSERT INTO correction (runId, node, version, author, at, before, after, reason)
                VALUES (\(added.run), \(added.node), \(added.version), \(added.author), \(added.at), \(added.before),
                        \(added.after), \(added.reason))
                """)
            return added
        }
    }

    public func corrections(run: String) throws -> [CorrectionRecord] {
        try read(run: run) { session in
            try session.rows(
                """
                SELECT runId, node, version, author, at, before, after, reason FROM correction
                WHERE runId = \(run) ORDER BY node, version
                """
            ).map { row in
                let (run, node, version, author, at, before, after, reason) =
                    try row.decode((String, String, Int, String, Date, String?, String, String).self)
                return CorrectionRecord(
                    run: run, node: node, version: version, author: author, at: at, before: before, after: after, reason: reason)
            }
        }
    }
}
