import Foundation
import Testing

@testable import Store

@Suite struct RunCountersTests {
    @Test func supervisorSpellingsMatchTheSchemaCheck() {
        // `runCounters.supervisor` is CHECKed against these spellings; changing one needs a migration.
        #expect(RunCounters.Supervisor.allCases.map(\.rawValue) == ["scripted", "learned"])
    }

    @Test func defaultsAreNoCountsAndNoSupervisor() {
        let counters = RunCounters()
        #expect(counters.supervisor == nil && counters.counts.isEmpty)
        #expect(counters.askerSubquestionAccuracy == nil && counters.askerAnswerAccuracy == nil)
    }

    @Test func jsonRoundTrips() throws {
        let counters = RunStoreCountersTests.learned
        #expect(try JSONDecoder().decode(RunCounters.self, from: JSONEncoder().encode(counters)) == counters)
    }
}
