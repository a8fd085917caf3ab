import Foundation
import PostgresNIO
import SeededRandom
import Store
import Testing

import class StoreTestSupport.FreshDatabase
import enum StoreTestSupport.StoreBackend

@testable import StorePostgres


/// IA whose targets grow on `ida worker` processes sharing a real PostgreSQL database, while
/// workers are killed with SIGKILL mid-generation and replaced: the trainer consumes every
/// generation once, and the run's report equals that of the same run growing its targets itself.
///
/// A generation of the tiny preset takes a worker milliseconds, too short to hit with a signal
/// sent at a random time. So the test catches a worker holding one (a seeded random pause, then
/// the next item found leased, from a thread that asks the database continuously), locks the
/// item's row (the worker can then finish its work but not store it: its completion waits on the
/// lock), kills the worker with SIGKILL, and lets the row go. The generation is then claimed
/// again once the dead worker's lease runs out.
@Suite(.enabled(if: StoreBackend.server != nil, "IDA_POSTGRES_TEST_URL names no server"), .serialized)
struct SharedTargetsTests {
    @Test(.tags(.slow)) func workersKilledMidGenerationChangeNothingInTheRun() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fresh = try FreshDatabase(.postgres)
        defer { withExtendedLifetime(fresh) {} }
        let database = fresh.locator
        let run = [
            "run", "--task", "permutation", "--preset", "tiny", "--steps", "150", "--seed", "3", "--json",
            "--output", directory.url.path,
        ]

        let alone = try IDAProcess.run(run + ["--db", directory.database], in: directory.url)
        #expect(alone.status == 0, "\(alone.standardError)")

        let worker = ["worker", "--lease", "1", "--db", database]
        var workers = try (0..<2).map { _ in try IDAProcess.start(worker, in: directory.url).0 }
        defer { for process in workers where process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let (trainer, out, err) = try IDAProcess.start(run + ["--shared-targets", "--db", database], in: directory.url)
        defer { if trainer.isRunning { kill(trainer.processIdentifier, SIGKILL) } }
        let store = try PostgresStore(location: PostgresLocation(parsing: database))
        defer { try? store.close() }

        var random = SplitMix64(seed: 17)
        var kills = 0
        while kills < 6, trainer.isRunning {
            Thread.sleep(forTimeInterval: Double(Int.random(in: 50...400, using: &random)) / 1000)
            // The next item found leased to a live worker (none of the killed ones, whose leases
            // linger until they run out)…
            var found: (item: Int, token: Int, victim: Int)?
            while found == nil, trainer.isRunning {
                let rows = try store.connections.rows(
                    "SELECT item, token, worker FROM workItem WHERE state = 'leased' AND leaseExpiresAt > clock_timestamp()")
                for row in rows {
                    let (item, token, holder) = try row.decode((Int, Int, String).self)
                    if let victim = workers.firstIndex(where: { "\($0.processIdentifier)" == holder.split(separator: ":").last }) {
                        found = (item, token, victim)
                    }
                }
            }
            guard let found else { break }
            // …its row locked while that worker is killed, if it still holds the item.
            let killed = try store.connections.transaction { connection -> Bool in
                let held = try store.connections.rows(
                    """
                    SELECT item FROM workItem WHERE item = \(found.item) AND token = \(found.token) AND state = 'leased'
                    FOR UPDATE SKIP LOCKED
                    """, on: connection)
                guard !held.isEmpty, kill(workers[found.victim].processIdentifier, SIGKILL) == 0 else { return false }
                workers[found.victim].waitUntilExit()
                return true
            }
            if killed {
                kills += 1
                workers[found.victim] = try IDAProcess.start(worker, in: directory.url).0
            }
        }
        trainer.waitUntilExit()
        let shared = try IDAProcess.outcome(trainer, out, err)
        #expect(shared.status == 0, "\(shared.standardError)")
        #expect(kills == 6, "the run ended before six workers were killed mid-generation (\(kills))")

        let ia = try #require(try store.runs().first { $0.kind == .ia })
        let counts = try store.workCounts(run: ia.id)
        #expect(counts.queued == 0 && counts.leased == 0 && counts.done > 10, "\(counts)")
        #expect(counts.claims >= counts.done + kills, "each killed worker's generation was claimed again: \(counts)")
        #expect(try store.nextItem(run: ia.id) == counts.done, "one item per generation, none retired unanswered")
        #expect(
            try RunCommandTests.stableJSON(shared.standardOutput) == RunCommandTests.stableJSON(alone.standardOutput),
            "shared:\n\(shared.standardOutput)\nalone:\n\(alone.standardOutput)")
    }
}
