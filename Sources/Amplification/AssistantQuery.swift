import Tasks

/// One question put to an assistant: which instance it is about, the question, its own random
/// stream and its ancestry.
///
/// Batches mix instances; `context` indexes the `contexts` array passed with the batch, so a
/// model can group the queries by instance and encode each instance's facts once per call.
public struct AssistantQuery: Sendable {
    /// The index of the question's instance in the `contexts` of the call.
    public var context: Int

    /// The question, `task.questionLength` tokens.
    public var question: Content

    /// The seed of the query's own random stream (random leaf lookups inside an amplified
    /// answer). Drawn by the asker, so an answer does not depend on how queries are batched.
    public var seed: UInt64

    /// The questions above this one, nearest first.
    public var ancestry: Ancestry

    public init(context: Int, question: Content, seed: UInt64, ancestry: Ancestry = Ancestry()) {
        self.context = context
        self.question = question
        self.seed = seed
        self.ancestry = ancestry
    }

    /// The recursion depth of the question: 0 for a main question.
    public var depth: Int { ancestry.count }
}
