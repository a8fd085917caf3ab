import Foundation

/// A stored run: one row of the `run` table.
///
/// Times are the caller's (the store never reads the clock) and are stored to the millisecond.
/// `seed` is stored as the signed 64-bit integer with the same bits.
public struct RunRecord: Codable, Sendable, Hashable {
    /// A short readable id such as `r-20261128-7f3a` (see ``RunStore/createRun(_:)``).
    public var id: String
    /// The group run this one belongs to, or nil.
    public var parentID: String?
    public var kind: RunKind
    public var task: String
    public var preset: String
    public var schedule: String
    /// The configuration as JSON text, verbatim.
    public var configuration: String
    public var seed: UInt64
    public var status: RunStatus
    public var createdAt: Date
    public var updatedAt: Date
    /// Training wall time so far, in seconds, as last reported by the caller.
    public var wallSeconds: Double
    /// The final report as JSON text, once the run has one.
    public var report: String?

    public init(
        id: String, parentID: String?, kind: RunKind, task: String, preset: String,
        schedule: String, configuration: String, seed: UInt64, status: RunStatus,
        createdAt: Date, updatedAt: Date, wallSeconds: Double, report: String?
    ) {
        self.id = id
        self.parentID = parentID
        self.kind = kind
        self.task = task
        self.preset = preset
        self.schedule = schedule
        self.configuration = configuration
        self.seed = seed
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.wallSeconds = wallSeconds
        self.report = report
    }
}
