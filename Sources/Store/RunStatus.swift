/// Where a stored run is in its life.
///
/// A run starts `running`; the command line sets `completed` or `failed` when it ends, and
/// `interrupted` when it is stopped (or finds, on `--resume`, a `running` run whose process
/// died). The schema checks the raw values.
public enum RunStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case running
    case completed
    case failed
    case interrupted
}
