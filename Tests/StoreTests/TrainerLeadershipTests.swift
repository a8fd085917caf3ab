import Foundation
import StoreTestSupport
import Testing

@testable import Store
@testable import StorePostgres

/// One trainer per run on the real PostgreSQL server: stores opened separately stand for
/// processes on different machines (each has connections, so sessions, of its own).
@Suite(.enabled(if: StoreBackend.server != nil, "IDA_POSTGRES_TEST_URL names no server"))
struct TrainerLeadershipTests {
    @Test func aRunHasOneTrainerAtATimeAndReleasingHandsItOn() throws {
        let database = try FreshDatabase(.postgres)
        let first = try #require(try database.open() as? PostgresStore)
        let second = try #require(try database.open() as? PostgresStore)
        defer {
            try? first.close()
            try? second.close()
        }
        let run = try first.createRun(StoreFixtures.newRun(kind: .group))
        let other = try first.createRun(StoreFixtures.newRun(kind: .group))

        let held = try #require(try first.lead(run: run.id))
        #expect(held.run == run.id)
        #expect(try second.lead(run: run.id) == nil)
        #expect(try first.lead(run: run.id) == nil, "a second leadership from the same process is refused too")
        let elsewhere = try #require(try second.lead(run: other.id), "another run's trainer is not held up")

        held.release()
        held.release()
        let taken = try #require(try second.lead(run: run.id))
        #expect(try first.lead(run: run.id) == nil)
        taken.release()
        elsewhere.release()
        #expect(try first.lead(run: other.id) != nil)
    }
}
