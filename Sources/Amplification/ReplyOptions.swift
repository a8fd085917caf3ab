/// What the caller of an assistant passes down besides the queries: the budget that is left for
/// the whole run and whether to record traces. Plain assistants ignore it; an amplifying one
/// (``Amplifier``) runs its nested amplification within it.
public struct ReplyOptions: Sendable {
    /// Supervisor actions the call may still spend (all levels below included).
    public var supervisorActionsLeft: Int
    /// Assistant calls the call may still make (all levels below included).
    public var assistantCallsLeft: Int
    /// Whether the reply should carry a trace per query.
    public var tracing: Bool

    public init(supervisorActionsLeft: Int = .max, assistantCallsLeft: Int = .max, tracing: Bool = false) {
        self.supervisorActionsLeft = supervisorActionsLeft
        self.assistantCallsLeft = assistantCallsLeft
        self.tracing = tracing
    }
}
