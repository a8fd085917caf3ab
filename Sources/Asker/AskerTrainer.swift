import NeuralNetworks
import SeededRandom
import TensorCore

/// Trains the transcript model H′ on expert demonstrations: a FIFO buffer of transcripts, batches
/// sampled with replacement, one Adam step per ``step()`` (reference §5.3 `train_asker`), each
/// batch's gradients computed in two shards side by side (``ShardedGradients``).
///
/// ```swift
/// let trainer = AskerTrainer(model: model, configuration: .tiny, seed: 3)
/// let fresh = trainer.loss(on: batch.transcripts)      // before training on them
/// trainer.add(batch.transcripts)
/// while … { _ = trainer.step() }
/// ```
public final class AskerTrainer {
    public let model: TranscriptModel
    public let configuration: AskerTrainingConfiguration
    public let optimizer: Adam
    /// The buffered transcripts' tokens (oldest overwritten first once full).
    public internal(set) var buffer: [[Int]] = []
    /// Steps taken.
    public internal(set) var stepCount = 0
    var nextSlot = 0
    var rng: SplitMix64
    /// Two shards of every batch, one per core of the 2-core machines ida is sized for; fixed, so
    /// equal seeds give equal weights on any machine.
    private let sharded: ShardedGradients<TranscriptModel>

    public init(model: TranscriptModel, configuration: AskerTrainingConfiguration = .small, seed: UInt64) {
        configuration.validate()
        self.model = model
        self.configuration = configuration
        self.optimizer = Adam(parameters: model.parameters().map(\.tensor), configuration: configuration.adam)
        self.rng = SplitMix64(seed: seed)
        sharded = ShardedGradients(model: model, shardCount: 2) { $0.replica() }
    }

    /// Adds transcripts to the buffer, overwriting the oldest when it is full.
    public func add(_ transcripts: [Transcript]) {
        for transcript in transcripts {
            if buffer.count < configuration.bufferCapacity {
                buffer.append(transcript.tokens)
            } else {
                buffer[nextSlot] = transcript.tokens
                nextSlot = (nextSlot + 1) % configuration.bufferCapacity
            }
        }
    }

    /// Whether enough transcripts are buffered to train.
    public var isReady: Bool { buffer.count >= configuration.minimumBuffered }

    /// H′'s loss on `transcripts` without training (the fresh-demonstration loss of §5.3).
    ///
    /// - Precondition: at least one transcript.
    public func loss(on transcripts: [Transcript]) -> Float {
        Tape.withoutRecording { model.loss(transcripts: transcripts.map(\.tokens)).item }
    }

    /// One Adam step on a batch sampled with replacement; returns the batch loss, or nil while
    /// fewer than ``AskerTrainingConfiguration/minimumBuffered`` transcripts are buffered.
    @discardableResult
    public func step() -> Float? {
        guard isReady else { return nil }
        let batch = (0..<configuration.batchSize).map { _ in buffer[Int(rng.next() % UInt64(buffer.count))] }
        let shards = min(sharded.shardCount, batch.count)
        let pieces = (0..<shards).map { Array(batch[($0 * batch.count / shards)..<(($0 + 1) * batch.count / shards)]) }
        let value = sharded.accumulate(shards: shards) { replica, shard in
            replica.loss(transcripts: pieces[shard], averagedOver: batch.count)
        }
        optimizer.step()
        stepCount += 1
        return value
    }
}
