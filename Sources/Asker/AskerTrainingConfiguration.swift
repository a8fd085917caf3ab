import NeuralNetworks

/// How H′ is trained on demonstrations (reference §5.3 `train_asker`), with presets per scale.
public struct AskerTrainingConfiguration: Codable, Sendable, Equatable, Hashable {
    /// Transcripts per Adam step, sampled with replacement from the buffer. 50: the reference's;
    /// measured on wildcard small (seed 1), batch 16 left X at 94.4 % and 50 reached 98.0 %
    /// (scripted expert: 100 %), at similar wall time once H′ pauses while accurate.
    public var batchSize: Int
    /// Transcripts kept (FIFO). 10 000: a small run generates a few thousand at most; the
    /// reference keeps 100 000.
    public var bufferCapacity: Int
    /// Transcripts buffered before the first step. 250: the reference's.
    public var minimumBuffered: Int
    /// The optimiser. Adam at 1e-3: H′ is as small as the CPU-sized X (see ``AdamConfiguration``).
    public var adam: AdamConfiguration

    public init(
        batchSize: Int = 50, bufferCapacity: Int = 10_000, minimumBuffered: Int = 250, adam: AdamConfiguration = .small
    ) {
        self.batchSize = batchSize
        self.bufferCapacity = bufferCapacity
        self.minimumBuffered = minimumBuffered
        self.adam = adam
    }

    /// Batches of 32 from 32 buffered: unit tests train on a few hundred transcripts.
    public static let tiny = AskerTrainingConfiguration(batchSize: 32, bufferCapacity: 2_000, minimumBuffered: 32, adam: .tiny)
    /// The default demo: 50 per batch, 100 buffered (a small run's first demonstrations).
    public static let small = AskerTrainingConfiguration(minimumBuffered: 100)
    /// The reference's sizes: 50 per batch, 100 000 kept, 250 before training, Adam 1e-5.
    public static let paper = AskerTrainingConfiguration(
        batchSize: 50, bufferCapacity: 100_000, minimumBuffered: 250, adam: .paper)

    /// - Precondition: sizes positive, `minimumBuffered ≤ bufferCapacity`.
    func validate() {
        precondition(
            batchSize > 0 && bufferCapacity > 0 && minimumBuffered >= 1 && minimumBuffered <= bufferCapacity,
            "AskerTrainingConfiguration: invalid sizes \(self)")
    }
}
