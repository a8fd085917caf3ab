import Foundation
import PostgresNIO

@testable import StorePostgres

/// Kills `ida worker`s with SIGKILL while they hold a work item, for certain.
///
/// Some items take a worker milliseconds (a tiny preset's generation), too short to hit with a
/// signal sent at a random time. So the next item found leased to one of `workers` (a thread
/// asking the database continuously) has its row locked: the worker can finish its work but not
/// store it, its completion waiting on the lock. The worker is killed, any completion it sent is
/// ended with its server process, and the row let go; the item is claimed again once the dead
/// worker's lease runs out.
enum MidItemKill {
    /// The index in `workers` of the worker killed holding an item; nil when `keepLooking` turned
    /// false first, or the worker found had let its item go before the lock was taken.
    static func killHolder(among workers: [Process], in store: PostgresStore, while keepLooking: () -> Bool) throws -> Int? {
        var found: (run: String, item: Int, token: Int, victim: Int)?
        while found == nil, keepLooking() {
            // Live workers only: a killed worker's lease lingers until it runs out.
            let rows = try store.connections.rows(
                "SELECT runId, item, token, worker FROM workItem WHERE state = 'leased' AND leaseExpiresAt > clock_timestamp()")
            for row in rows {
                let (run, item, token, holder) = try row.decode((String, Int, Int, String).self)
                if let victim = workers.firstIndex(where: { "\($0.processIdentifier)" == holder.split(separator: ":").last }) {
                    found = (run, item, token, victim)
                }
            }
        }
        guard let found else { return nil }
        return try store.connections.transaction { connection -> Int? in
            let held = try store.connections.rows(
                """
                SELECT item FROM workItem WHERE runId = \(found.run) AND item = \(found.item) AND token = \(found.token) AND state = 'leased'
                FOR UPDATE SKIP LOCKED
                """, on: connection)
            guard !held.isEmpty, kill(workers[found.victim].processIdentifier, SIGKILL) == 0 else { return nil }
            workers[found.victim].waitUntilExit()
            // A completion the worker sent before it died waits on this lock in its server
            // process, which the kill does not end (the server notices a lost client only when it
            // next reads from it): were the lock let go first, it would store the dead worker's
            // reply. Only that process waits on this row (claims skip locked rows): end it first.
            _ = try store.connections.rows(
                """
                SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity
                WHERE pid <> pg_backend_pid() AND pg_backend_pid() = ANY(pg_blocking_pids(pid))
                """, on: connection)
            return found.victim
        }
    }
}
