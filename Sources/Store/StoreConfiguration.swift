/// How a ``SQLiteStore`` keeps its file: how many checkpoints survive, how long a writer waits for
/// a lock, and how hard a commit pushes to the disk.
///
/// The presets differ only where the model size does: a `paper` checkpoint is hundreds of
/// megabytes, a `tiny` one a few kilobytes.
///
/// ```swift
/// var configuration = StoreConfiguration.small
/// configuration.checkpointsKept = 5
/// let store = try SQLiteStore(path: path, configuration: configuration)
/// ```
public struct StoreConfiguration: Codable, Sendable, Hashable {
    /// The newest checkpoints kept per run; older ones are deleted in the same transaction that
    /// saves a new one. 3: resume needs only the newest, two more let `ida eval` look back a
    /// little while the file stays bounded at three models per run.
    public var checkpointsKept: Int = 3

    /// Seconds a connection waits for another process's lock before failing with `SQLITE_BUSY`.
    /// 10: WAL readers never wait, and one writer's transaction (a checkpoint of a small model)
    /// takes milliseconds, so only a stuck process makes a writer wait this long.
    public var busyTimeoutSeconds: Double = 10

    /// Whether every commit is flushed to the disk (`PRAGMA synchronous = FULL`) instead of at
    /// WAL checkpoints (`NORMAL`). false: in WAL mode `NORMAL` already keeps every committed
    /// transaction through a killed process (`kill -9`); only an operating-system crash or a
    /// power cut can lose the last commits, and `FULL` costs an fsync per metric batch.
    public var syncEveryCommit: Bool = false

    /// The documented defaults (the same as ``small``).
    public init() {}

    /// Unit tests and CI: keeps two checkpoints (enough to test pruning and resume).
    public static let tiny: StoreConfiguration = {
        var configuration = StoreConfiguration()
        configuration.checkpointsKept = 2
        return configuration
    }()

    /// The default demo: the documented defaults.
    public static let small = StoreConfiguration()

    /// The published configuration: checkpoints are large and runs are long, so keep two and
    /// flush every commit (hours of training are worth an fsync per batch).
    public static let paper: StoreConfiguration = {
        var configuration = StoreConfiguration()
        configuration.checkpointsKept = 2
        configuration.syncEveryCommit = true
        return configuration
    }()
}
