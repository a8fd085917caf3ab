import Foundation
import IDATestSupport
import PostgresNIO
import SeededRandom

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

extension MidItemKill {
    /// `ida worker`s of one command line; each one killed is replaced by a new one. Those still
    /// running when it goes are killed with SIGKILL.
    final class Workers {
        let arguments: [String]
        let directory: URL
        private(set) var processes: [Process]

        init(_ count: Int, _ arguments: [String], in directory: URL) throws {
            self.arguments = arguments
            self.directory = directory
            processes = try (0..<count).map { _ in try IDAProcess.start(arguments, in: directory).0 }
        }

        func replace(_ index: Int) throws {
            processes[index] = try IDAProcess.start(arguments, in: directory).0
        }

        deinit {
            for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    /// Kills up to `count` of `workers` while they hold an item (``killHolder(among:in:while:)``),
    /// each after a pause of a seeded random number of milliseconds in `pauses`, and replaces each;
    /// stops when `main` has ended, and waits for it to. Returns the kills.
    ///
    /// On a thread of its own (``onOwnThread(_:)``): the pauses keep their pace while the rest of
    /// the suite fills Swift's cooperative threads (an awaited sleep waited there for longer than
    /// a whole run), and the waits hold none of them.
    static func killHolders(
        _ count: Int, of workers: Workers, pausing pauses: ClosedRange<Int>, seed: UInt64, in store: PostgresStore,
        while main: Process
    ) async throws -> Int {
        try await onOwnThread {
            var random = SplitMix64(seed: seed)
            var kills = 0
            while kills < count, main.isRunning {
                Thread.sleep(forTimeInterval: Double(Int.random(in: pauses, using: &random)) / 1000)
                guard let victim = try killHolder(among: workers.processes, in: store, while: { main.isRunning }) else {
                    continue
                }
                kills += 1
                try workers.replace(victim)
            }
            main.waitUntilExit()
            return kills
        }
    }
}
