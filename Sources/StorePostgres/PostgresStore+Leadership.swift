import Foundation
import PostgresNIO
import Store

extension PostgresStore: TrainerLeadership {
    /// The first key of the run locks' two-key advisory locks, so that they meet neither the
    /// migration lock nor another application's locks on the same database: `IDAT`.
    static let trainerLockClass: Int32 = 0x4944_4154

    /// A session-level advisory lock on the run's id, held by a connection of its own for as long
    /// as the leadership lasts (`pg_try_advisory_lock`: refused at once, never waited for). The
    /// lock's key is the id's 32-bit `hashtext`: two runs whose ids hash alike (about one pair in
    /// 4 billion) would be trained one at a time, never two at once.
    public func lead(run: String) throws -> (any RunLeadership)? {
        StoreRequirements.requireNoNUL(run, "lead: run")
        let session = try PostgresConnections(location: location, limit: 1)
        do {
            let taken = try session.rows(
                "SELECT pg_try_advisory_lock(\(Self.trainerLockClass), hashtext(\(run)))"
            )[0].decode(Bool.self)
            guard taken else {
                session.close()
                return nil
            }
            return PostgresRunLeadership(run: run, session: session)
        } catch {
            session.close()
            throw error
        }
    }
}

/// The connection that holds a run's advisory lock: closing it releases the lock.
final class PostgresRunLeadership: RunLeadership, @unchecked Sendable {
    let run: String
    private let session: PostgresConnections
    private let lock = NSLock()
    // Guarded by `lock`.
    private var released = false

    init(run: String, session: PostgresConnections) {
        self.run = run
        self.session = session
    }

    func release() {
        let first = lock.withLock {
            defer { released = true }
            return !released
        }
        guard first else { return }
        // Unlocked before the connection closes: a server ends a closed session's backend (and
        // frees its locks) a moment later, and the next trainer should not find it still held.
        _ = try? session.rows("SELECT pg_advisory_unlock(\(PostgresStore.trainerLockClass), hashtext(\(run)))")
        session.close()
    }

    deinit {
        if !released { session.close() }
    }
}
