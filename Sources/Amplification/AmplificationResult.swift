import Tasks

/// The outcome of an amplification: an answer per query, the final workspaces (the transcripts a
/// model of H would be trained on), what it cost, and the traces when tracing was on.
public struct AmplificationResult: Sendable {
    /// One answer per query, in order.
    public var answers: [Content]
    /// The final workspace of each query, in order.
    public var workspaces: [Workspace]
    /// Everything the run spent, all levels of recursion included.
    public var counters: AmplificationCounters
    /// One trace per query when tracing was on, otherwise `nil`.
    public var traces: [TraceNode]?

    public init(answers: [Content], workspaces: [Workspace], counters: AmplificationCounters, traces: [TraceNode]?) {
        self.answers = answers
        self.workspaces = workspaces
        self.counters = counters
        self.traces = traces
    }
}
