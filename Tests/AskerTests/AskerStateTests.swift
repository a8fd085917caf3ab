import Asker
import Foundation
import Testing

@Suite struct AskerStateTests {
    /// The snapshot is plain data: its JSON round trip is exact (so `TrainingState` can hold it).
    @Test(arguments: [1, 6] as [UInt64])
    func jsonRoundTripsExactly(seed: UInt64) async throws {
        let loop = AskerLoopStateTests.loop(seed: seed)
        try await AskerLoopStateTests.drive(loop, steps: [0, 3])
        let state = loop.state()
        #expect(!state.buffer.isEmpty && state.stepCount > 0)
        #expect(try JSONDecoder().decode(AskerState.self, from: JSONEncoder().encode(state)) == state)
    }
}
