/// A sampled amplification trace: a row of the `trace` table.
public struct TraceRecord: Codable, Sendable, Hashable {
    public var step: Int
    /// The task's name.
    public var task: String
    /// The root question, rendered as text.
    public var question: String
    /// The rendered trace tree, as text or JSON (the caller's choice; stored verbatim).
    public var trace: String

    public init(step: Int, task: String, question: String, trace: String) {
        self.step = step
        self.task = task
        self.question = question
        self.trace = trace
    }
}
