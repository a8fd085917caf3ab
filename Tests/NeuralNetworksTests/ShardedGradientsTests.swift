import IDATestSupport
import SeededRandom
import TensorCore
import Testing

@testable import NeuralNetworks

/// H′'s data-parallel gradients (``ShardedGradients`` over ``TranscriptModel`` replicas); the
/// answerer's are `AnswererTrainerTests`.
@Suite struct ShardedGradientsTests {
    static func gradients(_ model: TranscriptModel) -> [[Float]] {
        model.parameters().map { $0.tensor.gradient ?? [Float](repeating: 0, count: $0.tensor.count) }
    }

    /// The largest |a − b| / max(10⁻³, |b|) over every pair of values: what rounding moves little.
    static func worstRelativeDifference(_ values: [[Float]], _ expected: [[Float]]) -> Float {
        var worst: Float = 0
        for (mine, theirs) in zip(values, expected) {
            for (a, b) in zip(mine, theirs) { worst = max(worst, abs(a - b) / max(1e-3, abs(b))) }
        }
        return worst
    }

    /// Shards of a batch of transcripts, each loss divided by the whole batch, give one tape's
    /// loss and gradients up to rounding (relative to each gradient's size).
    @Test(.tags(.concurrency), arguments: [(1 as UInt64, 2), (2, 3), (3, 7)])
    func shardedTranscriptGradientsEqualOneTapesGradients(seed: UInt64, shards: Int) {
        let model = TranscriptModelTests.model(seed: seed)
        let batch = TranscriptModelTests.transcripts(count: 7, seed: seed)
        let tape = Tape()
        let expectedLoss = tape.recording { model.loss(transcripts: batch) }
        tape.backward(expectedLoss)
        let expected = Self.gradients(model)
        model.parameters().map(\.tensor).zeroGradients()

        let sharded = ShardedGradients(model: model, shardCount: shards) { $0.replica() }
        let pieces = (0..<shards).map { Array(batch[($0 * batch.count / shards)..<(($0 + 1) * batch.count / shards)]) }
        let loss = sharded.accumulate(shards: shards) { replica, shard in
            replica.loss(transcripts: pieces[shard], averagedOver: batch.count)
        }
        #expect(abs(loss - expectedLoss.item) <= 1e-5 * max(1, abs(expectedLoss.item)))
        let worst = Self.worstRelativeDifference(Self.gradients(model), expected)
        #expect(worst < 1e-3, "worst relative gradient difference \(worst)")
        #expect(expected.contains { $0.contains { $0 != 0 } })  // the comparison is not of zeros
    }

    @Test func aTranscriptReplicaSharesWeightsAndNotGradients() {
        let model = TranscriptModelTests.model(seed: 4)
        let replica = model.replica()
        for (mine, theirs) in zip(model.parameters(), replica.parameters()) {
            #expect(mine.key == theirs.key && theirs.tensor.sharesValues(with: mine.tensor))
        }
        let tape = Tape()
        let loss = tape.recording { replica.loss(transcripts: TranscriptModelTests.transcripts(count: 3, seed: 4)) }
        tape.backward(loss)
        #expect(Self.gradients(replica).contains { $0.contains { $0 != 0 } })
        #expect(Self.gradients(model).allSatisfy { $0.allSatisfy { $0 == 0 } })
    }

    @Test func moreShardsThanTheTrainerHoldsTraps() async {
        await #expect(processExitsWith: .failure) {
            let model = TranscriptModelTests.model(seed: 1)
            let sharded = ShardedGradients(model: model, shardCount: 2) { $0.replica() }
            _ = sharded.accumulate(shards: 3) { replica, _ in replica.loss(transcripts: TranscriptModelTests.transcripts(count: 1, seed: 1)) }
        }
    }
}
