import Foundation
import StoreTestSupport
import Testing

@testable import Store

/// The people of a database, on every backend: the same behaviour from SQLite and PostgreSQL.
@Suite struct PeopleStoreTests {
    /// Whole seconds, which both backends keep exactly.
    let now = Date(timeIntervalSince1970: 1_796_000_000)

    @Test(arguments: StoreBackend.available)
    func usersAreKeptByNameAndANameIsTakenOnce(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let store = try database.open()
        let ada = UserRecord(name: "ada", role: .researcher, passwordHash: "$2b$10$hash", createdAt: now)
        let bo = UserRecord(
            name: "bo", role: .supervisor, passwordHash: nil, invitationHash: "invite-hash", invitedBy: "ada", createdAt: now)
        try store.createUser(bo)
        try store.createUser(ada)
        #expect(throws: StoreError.userExists(name: "ada")) {
            try store.createUser(UserRecord(name: "ada", role: .supervisor, passwordHash: nil, createdAt: now))
        }

        let reopened = try database.open()
        #expect(try reopened.users() == [ada, bo])
        #expect(try reopened.user(named: "ada") == ada)
        #expect(try reopened.user(named: "nobody") == nil)
        #expect(try reopened.user(invitationHash: "invite-hash") == bo)
        #expect(try reopened.user(invitationHash: "other") == nil)
    }

    @Test(arguments: StoreBackend.available)
    func settingAPasswordUsesUpTheInvitation(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let store = try database.open()
        try store.createUser(
            UserRecord(name: "bo", role: .supervisor, passwordHash: nil, invitationHash: "invite-hash", createdAt: now))

        try store.setPassword(hash: "$2b$10$new", user: "bo")

        let bo = try #require(try store.user(named: "bo"))
        #expect(bo.passwordHash == "$2b$10$new")
        #expect(bo.invitationHash == nil)
        #expect(try store.user(invitationHash: "invite-hash") == nil)
        #expect(throws: StoreError.userNotFound(name: "nobody")) { try store.setPassword(hash: "x", user: "nobody") }
    }

    @Test(arguments: StoreBackend.available)
    func aSessionIsFoundUntilItExpiresOrIsDeleted(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let store = try database.open()
        try store.createUser(UserRecord(name: "ada", role: .researcher, passwordHash: "h", createdAt: now))
        let first = SessionRecord(
            tokenHash: "t1", user: "ada", csrfToken: "c1", createdAt: now, expiresAt: now.addingTimeInterval(60))
        let second = SessionRecord(
            tokenHash: "t2", user: "ada", csrfToken: "c2", createdAt: now, expiresAt: now.addingTimeInterval(3600))
        try store.createSession(first)
        try store.createSession(second)

        #expect(try store.session(tokenHash: "t1", now: now) == first)
        #expect(try store.session(tokenHash: "t1", now: now.addingTimeInterval(60)) == nil, "expired at its expiry")
        #expect(try store.session(tokenHash: "unknown", now: now) == nil)

        try store.deleteExpiredSessions(now: now.addingTimeInterval(120))
        #expect(try store.session(tokenHash: "t1", now: now) == nil, "removed once expired")
        #expect(try store.session(tokenHash: "t2", now: now) == second)
        try store.deleteSession(tokenHash: "t2")
        #expect(try store.session(tokenHash: "t2", now: now) == nil)
    }

    @Test(arguments: StoreBackend.available)
    func theAuditLogKeepsEachRunsEntriesInOrder(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let store = try database.open()
        let entries = [
            AuditEntry(at: now, user: "ada", action: .signIn),
            AuditEntry(at: now, user: "ada", action: .startRun, run: "r1", detail: "permutation"),
            AuditEntry(at: now.addingTimeInterval(1), user: "bo", action: .lookup, run: "r1", node: "1.2", detail: "fact 1", seconds: 12.5),
            AuditEntry(at: now.addingTimeInterval(1), user: "bo", action: .answer, run: "r2", node: "1", detail: "yes ✓"),
            AuditEntry(at: now.addingTimeInterval(2), user: nil, action: .pause, run: "r1"),
        ]
        try store.appendAudit(Array(entries[0..<3]))
        try store.appendAudit(Array(entries[3...]))

        let r1 = try database.open().audit(run: "r1")
        #expect(r1.map(\.action) == [.startRun, .lookup, .pause])
        #expect(r1.map(\.sequence) == r1.map(\.sequence).sorted() && Set(r1.map(\.sequence)).count == 3)
        var expected = [entries[1], entries[2], entries[4]]
        for index in expected.indices { expected[index].sequence = r1[index].sequence }
        #expect(r1 == expected)
        #expect(try store.audit(run: "r2").map(\.detail) == ["yes ✓"])
        #expect(try store.audit(run: nil).map(\.action) == [.signIn])
        #expect(try store.audit(user: "bo").map(\.detail) == ["fact 1", "yes ✓"])
        #expect(try store.audit(user: "bo").map(\.seconds) == [12.5, nil])
        #expect(try store.audit(user: "nobody").isEmpty)
    }
}

/// Corrections are versions: each adds one, none replaces another, on every backend.
@Suite struct CorrectionStoreTests {
    let now = Date(timeIntervalSince1970: 1_796_000_000)

    @Test(arguments: StoreBackend.available)
    func eachCorrectionIsTheNextVersionOfItsNode(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        let first = try store.addCorrection(
            CorrectionRecord(run: run.id, node: "1.2", author: "ada", at: now, before: #""Monday""#, after: #""Tuesday""#, reason: "the launch is on Monday"))
        let second = try store.addCorrection(
            CorrectionRecord(run: run.id, node: "1.2", author: "cy", at: now.addingTimeInterval(5), before: #""Tuesday""#, after: #""Wednesday""#))
        let other = try store.addCorrection(
            CorrectionRecord(run: run.id, node: "1", author: "ada", at: now, before: nil, after: #""teal""#))
        #expect([first.version, second.version, other.version] == [Int]([1, 2, 1]))

        let stored = try database.open().corrections(run: run.id)
        #expect(stored == [other, first, second], "by node, then version; every version kept")
        #expect(throws: StoreError.runNotFound(id: "r-20261205-00000000")) {
            try store.addCorrection(CorrectionRecord(run: "r-20261205-00000000", node: "1", author: "ada", at: now, before: nil, after: "x"))
        }
        #expect(throws: StoreError.runNotFound(id: "r-20261205-00000000")) { try store.corrections(run: "r-20261205-00000000") }
    }

    @Test(arguments: StoreBackend.available)
    func correctionsMadeAtOnceGetDistinctVersions(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let (store, run) = try database.storeWithRun()
        let versions = Collected<Int>()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            let added = try? store.addCorrection(
                CorrectionRecord(run: run.id, node: "3", author: "p\(index)", at: now, before: nil, after: "\"\(index)\""))
            if let added { versions.append(added.version) }
        }
        #expect(versions.all.sorted() == Array(1...8))
    }
}
