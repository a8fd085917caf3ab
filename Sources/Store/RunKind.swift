/// What a stored run is: an IA run, its supervised baseline, or the group that holds both.
///
/// One `ida run` stores a `group` run and, under it (``RunRecord/parentID``), one `ia` and one
/// `supervised` run per task. The schema checks the raw values, so a new kind needs a migration.
public enum RunKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// Iterated amplification: targets come from Amp(H, X_teacher).
    case ia
    /// The baseline: the same loop trained on ground-truth targets.
    case supervised
    /// A parent that groups the runs of one invocation; it trains nothing itself.
    case group
}
