import Distillation
import Foundation
import PropertyBased
import SeededRandom
import Testing

@Suite struct ReplayBufferTests {
    static func example(_ id: Int) -> TrainingExample {
        TrainingExample(facts: [[id, id]], questions: [[id]], targets: [[id]])
    }

    @Test(arguments: [1, 3, 10])
    func ringEvictsTheOldestFirst(capacity: Int) {
        var buffer = ReplayBuffer(capacity: capacity)
        for id in 0..<(capacity * 2 + 1) { buffer.insert(Self.example(id)) }
        #expect(buffer.count == capacity)
        let ids = Set(buffer.examples.map { $0.questions[0][0] })
        #expect(ids == Set((capacity + 1)...(capacity * 2)))
        #expect(buffer.evictedCount == capacity + 1)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func samplingCountsEveryDraw(seed: UInt64) {
        var buffer = ReplayBuffer(capacity: 8)
        for id in 0..<8 { buffer.insert(Self.example(id)) }
        var rng = SplitMix64(seed: seed)
        let drawn = buffer.sample(40, using: &rng)
        #expect(drawn.count == 40)
        #expect(buffer.examples.reduce(0) { $0 + $1.uses } == 40)
    }

    /// Each example is drawn about batch · interval / perGeneration times before eviction.
    @Test(arguments: [(16, 5, 8), (8, 5, 4), (32, 1, 3)])
    func measuredReuseMatchesTheConfiguredRate(batch: Int, interval: Int, perGeneration: Int) {
        var buffer = ReplayBuffer(capacity: 100)
        var rng = SplitMix64(seed: 11)
        var id = 0
        for step in 0..<20_000 {
            if step % interval == 0 {
                for _ in 0..<perGeneration {
                    buffer.insert(Self.example(id))
                    id += 1
                }
            }
            _ = buffer.sample(batch, using: &rng)
        }
        let expected = Double(batch * interval) / Double(perGeneration)
        let measured = buffer.meanUsesOfEvicted ?? 0
        #expect(abs(measured - expected) / expected < 0.05, "measured \(measured), expected \(expected)")
    }

    @Test func replaceAllKeepsTheReuseTally() {
        var buffer = ReplayBuffer(capacity: 4)
        for id in 0..<4 { buffer.insert(Self.example(id)) }
        var rng = SplitMix64(seed: 1)
        _ = buffer.sample(8, using: &rng)
        buffer.replaceAll(with: [Self.example(9)])
        #expect(buffer.count == 1)
        #expect(buffer.evictedCount == 4)
        #expect(buffer.meanUsesOfEvicted == 2)
    }

    @Test func codableRoundTripIsExact() async {
        await propertyCheck(input: Gen.int(in: 0...50), Gen.int(in: 1...20)) { inserted, capacity in
            var buffer = ReplayBuffer(capacity: capacity)
            for id in 0..<inserted { buffer.insert(Self.example(id)) }
            var rng = SplitMix64(seed: UInt64(inserted))
            if buffer.count > 0 { _ = buffer.sample(3, using: &rng) }
            let data = try JSONEncoder().encode(buffer)
            let decoded = try JSONDecoder().decode(ReplayBuffer.self, from: data)
            #expect(decoded == buffer)
        }
    }

    @Test func samplingAnEmptyBufferTraps() async {
        await #expect(processExitsWith: .failure) {
            var buffer = ReplayBuffer(capacity: 2)
            var rng = SplitMix64(seed: 1)
            _ = buffer.sample(1, using: &rng)
        }
    }

    @Test func zeroCapacityTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = ReplayBuffer(capacity: 0)
        }
    }
}
