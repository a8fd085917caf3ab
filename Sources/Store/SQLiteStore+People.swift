import Foundation
import GRDB

// MARK: - People: accounts, sessions, the audit log

extension SQLiteStore: PeopleStore {
    public func createUser(_ user: UserRecord) throws {
        StoreRequirements.validateUser(user)
        try pool.write { db in
            guard try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM account WHERE name = ?)", arguments: [user.name])!
            else { throw StoreError.userExists(name: user.name) }
            try db.execute(
                sql: """
                    INSERT INTO account (name, role, passwordHash, invitationHash, invitedBy, createdAt)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    user.name, user.role.rawValue, user.passwordHash, user.invitationHash, user.invitedBy, user.createdAt,
                ])
        }
    }

    public func user(named name: String) throws -> UserRecord? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name]).map(Self.userRecord)
        }
    }

    public func user(invitationHash: String) throws -> UserRecord? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE invitationHash = ?", arguments: [invitationHash])
                .map(Self.userRecord)
        }
    }

    public func users() throws -> [UserRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY name").map(Self.userRecord)
        }
    }

    public func setPassword(hash: String, user name: String) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE account SET passwordHash = ?, invitationHash = NULL WHERE name = ?", arguments: [hash, name])
            guard db.changesCount == 1 else { throw StoreError.userNotFound(name: name) }
        }
    }

    public func createSession(_ session: SessionRecord) throws {
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO accountSession (tokenHash, account, csrfToken, createdAt, expiresAt)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [session.tokenHash, session.user, session.csrfToken, session.createdAt, session.expiresAt])
        }
    }

    public func session(tokenHash: String, now: Date) throws -> SessionRecord? {
        try pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM accountSession WHERE tokenHash = ? AND expiresAt > ?", arguments: [tokenHash, now]
            ).map { row in
                SessionRecord(
                    tokenHash: row["tokenHash"], user: row["account"], csrfToken: row["csrfToken"],
                    createdAt: row["createdAt"], expiresAt: row["expiresAt"])
            }
        }
    }

    public func deleteSession(tokenHash: String) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM accountSession WHERE tokenHash = ?", arguments: [tokenHash])
        }
    }

    public func deleteExpiredSessions(now: Date) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM accountSession WHERE expiresAt <= ?", arguments: [now])
        }
    }

    public func appendAudit(_ entries: [AuditEntry]) throws {
        try pool.write { db in
            for entry in entries {
                try db.execute(
                    sql: "INSERT INTO auditEntry (at, account, action, runId, node, detail, seconds) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [entry.at, entry.user, entry.action.rawValue, entry.run, entry.node, entry.detail, entry.seconds])
            }
        }
    }

    public func audit(run: String?) throws -> [AuditEntry] {
        try auditEntries("SELECT * FROM auditEntry WHERE runId IS ? ORDER BY sequence", run)
    }

    public func audit(user: String) throws -> [AuditEntry] {
        try auditEntries("SELECT * FROM auditEntry WHERE account = ? ORDER BY sequence", user)
    }

    private func auditEntries(_ sql: String, _ argument: String?) throws -> [AuditEntry] {
        try pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: [argument]).map { row in
                let action: String = row["action"]
                guard let known = AuditAction(rawValue: action) else {
                    throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "audit entry has unknown action \(action)")
                }
                return AuditEntry(
                    sequence: row["sequence"], at: row["at"], user: row["account"], action: known, run: row["runId"],
                    node: row["node"], detail: row["detail"], seconds: row["seconds"])
            }
        }
    }

    static func userRecord(from row: Row) throws -> UserRecord {
        let role: String = row["role"]
        guard let known = UserRole(rawValue: role) else {
            // The schema's CHECK constraint makes this unreachable for ida's own files.
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "account has unknown role \(role)")
        }
        return UserRecord(
            name: row["name"], role: known, passwordHash: row["passwordHash"], invitationHash: row["invitationHash"],
            invitedBy: row["invitedBy"], createdAt: row["createdAt"])
    }
}

// MARK: - Corrections

extension SQLiteStore {
    public func addCorrection(_ correction: CorrectionRecord) throws -> CorrectionRecord {
        try write(run: correction.run) { db in
            var added = correction
            added.version = try Int.fetchOne(
                db, sql: "SELECT COALESCE(MAX(version), 0) + 1 FROM correction WHERE runId = ? AND node = ?",
                arguments: [correction.run, correction.node])!
            try db.execute(
                sql: """
                    INSERT INTO correction (runId, node, version, author, at, before, after, reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    added.run, added.node, added.version, added.author, added.at, added.before, added.after, added.reason,
                ])
            return added
        }
    }

    public func corrections(run: String) throws -> [CorrectionRecord] {
        try read(run: run) { db in
            try Row.fetchAll(db, sql: "SELECT * FROM correction WHERE runId = ? ORDER BY node, version", arguments: [run])
                .map { row in
                    CorrectionRecord(
                        run: row["runId"], node: row["node"], version: row["version"], author: row["author"], at: row["at"],
                        before: row["before"], after: row["after"], reason: row["reason"])
                }
        }
    }
}
