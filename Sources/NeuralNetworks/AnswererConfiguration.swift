/// The sizes of the answerer that do not depend on the task: width, depth, heads.
///
/// Task-dependent sizes (vocabulary, fact, question and answer lengths) are ``TaskDimensions``.
/// Presets follow DESIGN §5 and reference §4.2/§9; `Documentation/Answerer.md` describes the
/// architecture these numbers configure.
///
/// ```swift
/// var configuration = AnswererConfiguration.small
/// configuration.questionLayerCount = 2
/// ```
public struct AnswererConfiguration: Codable, Sendable, Equatable, Hashable {
    /// d, the width of fact, question and answer states. 64: the CPU plan's upper end (reference
    /// §9, "32–64"), enough for 8–16-element instances; the paper uses 512.
    public var modelDimension: Int
    /// e, the embedding width of one token before a fact's or question's tokens are concatenated.
    /// 16: reference §9 ("16–32"); with 1-token names a fact has about 4 tokens, so 4·16 = 64 = d.
    public var tokenEmbeddingDimension: Int
    /// Attention heads; each has `modelDimension / headCount` features. 4: heads of 16 features,
    /// the smallest that still separate "which fact" from "which value" in the lookups.
    public var headCount: Int
    /// Self-attention cells over the set of facts. 2: lookups over two hops (reference §9 "1–2").
    public var factLayerCount: Int
    /// Cells in which questions cross-attend to the fact states. 1: reference §9.
    public var questionLayerCount: Int
    /// Hidden width of the feed-forward block as a multiple of d. 4: the paper's 4d.
    public var feedForwardMultiplier: Int

    /// Creates a configuration; the defaults are ``small``'s.
    public init(
        modelDimension: Int = 64, tokenEmbeddingDimension: Int = 16, headCount: Int = 4,
        factLayerCount: Int = 2, questionLayerCount: Int = 1, feedForwardMultiplier: Int = 4
    ) {
        self.modelDimension = modelDimension
        self.tokenEmbeddingDimension = tokenEmbeddingDimension
        self.headCount = headCount
        self.factLayerCount = factLayerCount
        self.questionLayerCount = questionLayerCount
        self.feedForwardMultiplier = feedForwardMultiplier
    }

    /// d 32, 1 fact + 1 question cell, 2 heads: unit tests and CI train it in seconds.
    public static let tiny = AnswererConfiguration(
        modelDimension: 32, tokenEmbeddingDimension: 16, headCount: 2, factLayerCount: 1, questionLayerCount: 1)
    /// d 64, 2 fact + 1 question cells: the default demo, minutes on 2 cores (DESIGN §5).
    public static let small = AnswererConfiguration()
    /// d 256 (4x small's width), same depth: the benchmark's point where matrix products dominate.
    public static let medium = AnswererConfiguration(
        modelDimension: 256, tokenEmbeddingDimension: 64, headCount: 4, factLayerCount: 2, questionLayerCount: 1)
    /// The paper's configuration (reference §4.2): d 512, e 100, 8 heads, 6 + 3 cells.
    public static let paper = AnswererConfiguration(
        modelDimension: 512, tokenEmbeddingDimension: 100, headCount: 8, factLayerCount: 6, questionLayerCount: 3)

    /// The presets by name, for command lines.
    public static let presets: [String: AnswererConfiguration] = [
        "tiny": .tiny, "small": .small, "medium": .medium, "paper": .paper,
    ]

    /// What is wrong with the sizes, or nil: a configuration read from a file is checked with
    /// this before a model is built from it.
    public var problem: String? {
        guard
            modelDimension > 0 && tokenEmbeddingDimension > 0 && headCount > 0 && factLayerCount >= 0
                && questionLayerCount >= 0 && feedForwardMultiplier > 0
        else { return "AnswererConfiguration: sizes must be positive, \(self)" }
        guard modelDimension % headCount == 0 else {
            return "AnswererConfiguration: modelDimension \(modelDimension) is not a multiple of headCount \(headCount)"
        }
        return nil
    }

    /// Checks the sizes fit together.
    ///
    /// - Precondition: every size is positive and `modelDimension` is a multiple of `headCount`.
    func validate() {
        if let problem { preconditionFailure(problem) }
    }
}

/// The task-dependent sizes of an answerer: they come from the task, not from a preset.
public struct TaskDimensions: Codable, Sendable, Equatable, Hashable {
    /// Token ids are in `0..<vocabularySize`; 0 is padding.
    public var vocabularySize: Int
    /// Tokens per fact.
    public var factLength: Int
    /// Tokens per question.
    public var questionLength: Int
    /// Tokens per answer.
    public var answerLength: Int

    public init(vocabularySize: Int, factLength: Int, questionLength: Int, answerLength: Int) {
        self.vocabularySize = vocabularySize
        self.factLength = factLength
        self.questionLength = questionLength
        self.answerLength = answerLength
    }

    /// What is wrong with the sizes, or nil (checked before a model is built from a file's).
    public var problem: String? {
        guard vocabularySize >= 2 && factLength >= 1 && questionLength >= 1 && answerLength >= 1 else {
            return "TaskDimensions: vocabularySize must be ≥ 2 and lengths ≥ 1, \(self)"
        }
        return nil
    }

    /// Checks every size is positive.
    ///
    /// - Precondition: vocabularySize ≥ 2 and every length ≥ 1.
    func validate() {
        if let problem { preconditionFailure(problem) }
    }
}
