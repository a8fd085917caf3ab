import Dispatch
import IDATestSupport
import Testing

@testable import Amplification

@Suite struct GroundTruthLedgerTests {
    @Test func aNewLedgerCountsNothing() {
        #expect(GroundTruthLedger().count == 0)
    }

    /// Many threads record and read at once; the count is the sum of every recording.
    @Test(.tags(.concurrency)) func concurrentRecordingsAddUp() {
        let ledger = GroundTruthLedger()
        let (threads, recordings) = (16, 500)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for _ in 0..<recordings {
                ledger.record(thread % 3 + 1)
                _ = ledger.count
            }
        }
        #expect(ledger.count == (0..<threads).reduce(0) { $0 + ($1 % 3 + 1) * recordings })
    }
}
