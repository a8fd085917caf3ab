/// The sizes of the transcript model H′ that do not depend on the task: width, depth, heads.
///
/// Task-dependent sizes (vocabulary, question and answer lengths, rounds) are a
/// ``TranscriptLayout``. Presets follow reference §4.3 and §9; `Documentation/Asker.md`
/// describes the architecture these numbers configure.
///
/// ```swift
/// var configuration = TranscriptModelConfiguration.small
/// configuration.layerCount = 3
/// ```
public struct TranscriptModelConfiguration: Codable, Sendable, Equatable, Hashable {
    /// d, the width of every position's state. 64: the CPU plan's width for X (reference §9), and
    /// H′'s transcripts are shorter than X's fact sets; the paper uses 128.
    public var modelDimension: Int
    /// Attention heads; each has `modelDimension / headCount` features. 4: the paper's count.
    public var headCount: Int
    /// Causal self-attention cells. 2: a decomposition step reads one earlier answer and copies it
    /// into the next question, which two cells express; the paper uses 4.
    public var layerCount: Int
    /// Hidden width of the feed-forward block as a multiple of d. 4: the paper's 4d.
    public var feedForwardMultiplier: Int

    /// Creates a configuration; the defaults are ``small``'s.
    public init(modelDimension: Int = 64, headCount: Int = 4, layerCount: Int = 2, feedForwardMultiplier: Int = 4) {
        self.modelDimension = modelDimension
        self.headCount = headCount
        self.layerCount = layerCount
        self.feedForwardMultiplier = feedForwardMultiplier
    }

    /// d 32, 2 cells, 2 heads: unit tests train it in seconds.
    public static let tiny = TranscriptModelConfiguration(modelDimension: 32, headCount: 2, layerCount: 2, feedForwardMultiplier: 2)
    /// d 64, 2 cells, 4 heads: the default demo on 2 cores.
    public static let small = TranscriptModelConfiguration()
    /// The paper's H′ (reference §4.3): d 128, 4 heads, 4 cells.
    public static let paper = TranscriptModelConfiguration(modelDimension: 128, headCount: 4, layerCount: 4)

    /// The presets by name, for command lines.
    public static let presets: [String: TranscriptModelConfiguration] = ["tiny": .tiny, "small": .small, "paper": .paper]

    /// Checks the sizes fit together.
    ///
    /// - Precondition: every size is positive and `modelDimension` is a multiple of `headCount`.
    func validate() {
        precondition(
            modelDimension > 0 && headCount > 0 && layerCount > 0 && feedForwardMultiplier > 0,
            "TranscriptModelConfiguration: sizes must be positive, \(self)")
        precondition(
            modelDimension % headCount == 0,
            "TranscriptModelConfiguration: modelDimension \(modelDimension) is not a multiple of headCount \(headCount)")
    }
}
