/// One trainer per run, across machines: the process that trains a run holds its leadership, and
/// a second process that would train the same run (a second `ida run --resume`, a second server
/// hosting its training) is refused instead of training beside it and interleaving two runs'
/// checkpoints.
///
/// Leadership is tied to the holder's connection, not to a lease it must renew: a trainer that
/// dies, or whose machine drops off the network, loses it as soon as the database notices its
/// connection gone, and the next trainer may take over.
public protocol TrainerLeadership: Sendable {
    /// Makes this process run `run`'s trainer until the returned leadership is released; nil,
    /// and nothing taken, when another holds it.
    func lead(run: String) throws -> (any RunLeadership)?
}

/// A held ``TrainerLeadership``.
public protocol RunLeadership: Sendable {
    var run: String { get }
    /// Gives the leadership up; the next ``TrainerLeadership/lead(run:)`` may take it. Releasing
    /// twice does nothing.
    func release()
}
