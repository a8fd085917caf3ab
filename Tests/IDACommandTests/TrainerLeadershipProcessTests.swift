import Foundation
import IDATestSupport
import Store
import StorePostgres
import Testing

import class StoreTestSupport.FreshDatabase
import enum StoreTestSupport.StoreBackend


/// Two `ida run`s of one run against one PostgreSQL database, as on two machines: the second is
/// refused while the first trains, and takes over once the first is killed with SIGKILL (its
/// session, and so its hold on the run, ends with it).
@Suite(.enabled(if: StoreBackend.server != nil, "IDA_POSTGRES_TEST_URL names no server"))
struct TrainerLeadershipProcessTests {
    @Test(.tags(.slow)) func aSecondTrainerIsRefusedUntilTheFirstIsKilled() async throws {
        let fresh = try FreshDatabase(.postgres)
        defer { withExtendedLifetime(fresh) {} }
        let database = fresh.locator
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Far more steps than the test could wait for: awaits on a busy cooperative pool resume
        // late, and the first trainer must still be training when the second asks.
        let (first, _, firstErr) = try IDAProcess.start(
            ["run", "--task", "permutation", "--preset", "tiny", "--steps", "1000000", "--seed", "2",
             "--checkpoint-interval", "20", "--db", database, "--output", directory.url.path],
            in: directory.url)
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        let started = try await IDAProcess.waitFor("IA 0/1000000", in: firstErr, of: first)
        #expect(started, "\((try? String(contentsOf: firstErr, encoding: .utf8)) ?? "")")
        let store = try PostgresStore(location: PostgresLocation(parsing: database))
        defer { try? store.close() }
        let group = try #require(try store.runs().first { $0.kind == .group })

        let refused = try await IDAProcess.run(
            ["run", "--resume", group.id, "--db", database, "--output", directory.url.path], in: directory.url)
        #expect(refused.status != 0)
        #expect(
            refused.standardError.contains("run \(group.id) is being trained by another process"),
            "\(refused.standardError)")
        #expect(first.isRunning, "the first trainer ended while the second was refused")
        #expect(try store.run(id: group.id).status == .running)

        kill(first.processIdentifier, SIGKILL)
        await first.exited()
        #expect(first.terminationReason == .uncaughtSignal)
        let (second, _, secondErr) = try IDAProcess.start(
            ["run", "--resume", group.id, "--db", database, "--output", directory.url.path], in: directory.url)
        defer { if second.isRunning { kill(second.processIdentifier, SIGKILL) } }
        let tookOver = try await IDAProcess.waitFor("resuming run \(group.id)", in: secondErr, of: second)
        // The note comes before the lock is taken: the takeover shows as steps past the resume.
        let training = try await IDAProcess.waitFor("IA ", in: secondErr, of: second)
        try await Task.sleep(for: .seconds(1))
        let log = (try? String(contentsOf: secondErr, encoding: .utf8)) ?? ""
        #expect(tookOver && training && second.isRunning, "\(log)")
        #expect(!log.contains("another process"), "\(log)")
        kill(second.processIdentifier, SIGKILL)
        await second.exited()
    }
}
