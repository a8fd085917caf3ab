import Tasks

/// An assistant's answers to a batch, with what producing them cost and, when asked, their traces.
public struct AssistantReply: Sendable {
    /// One answer per query, in order, each `task.answerLength` tokens.
    public var answers: [Content]
    /// What the assistant spent (nested supervisor actions, leaf lookups, calls); zero for a model.
    public var counters: AmplificationCounters
    /// One trace per query when ``ReplyOptions/tracing`` was set and the assistant records traces.
    public var traces: [TraceNode]?

    public init(answers: [Content], counters: AmplificationCounters = AmplificationCounters(), traces: [TraceNode]? = nil) {
        self.answers = answers
        self.counters = counters
        self.traces = traces
    }
}
