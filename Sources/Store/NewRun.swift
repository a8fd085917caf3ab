import Foundation

/// What the caller knows about a run before it is stored: ``RunStore/createRun(_:)`` adds the
/// id, the status `running` and the timings.
///
/// ```swift
/// let group = try store.createRun(NewRun(
///     kind: .group, task: "sort", preset: "small", schedule: "continuous",
///     configuration: "{}", seed: 7, createdAt: now))
/// let ia = try store.createRun(NewRun(
///     kind: .ia, task: "sort", preset: "small", schedule: "continuous",
///     configuration: configurationJSON, seed: 7, createdAt: now, parentID: group.id))
/// ```
public struct NewRun: Codable, Sendable, Hashable {
    public var kind: RunKind
    /// The task's name, e.g. `sort` (or `all` for a group over the five tasks).
    public var task: String
    /// The preset's name: `tiny`, `small` or `paper`.
    public var preset: String
    /// The training schedule: `continuous` or `rounds`.
    public var schedule: String
    /// The full configuration as JSON text, stored verbatim for `--resume` and reports.
    public var configuration: String
    public var seed: UInt64
    /// When the run starts, passed in (the store never reads the clock); stored to the millisecond.
    public var createdAt: Date
    /// The group this run belongs to, or nil for a top-level run.
    public var parentID: String?

    public init(
        kind: RunKind, task: String, preset: String, schedule: String, configuration: String,
        seed: UInt64, createdAt: Date, parentID: String? = nil
    ) {
        self.kind = kind
        self.task = task
        self.preset = preset
        self.schedule = schedule
        self.configuration = configuration
        self.seed = seed
        self.createdAt = createdAt
        self.parentID = parentID
    }
}
