/// What a stored run is: an IA run, its supervised baseline, an RLHF run, the group that holds
/// them, or an amplification tree.
///
/// One `ida run` stores a `group` run and, under it (``RunRecord/parentID``), one `ia` and one
/// `supervised` run per task (`ida run --method rlhf` or `rl-oracle`: one `rlhf` run per task);
/// `ida trace` stores an `hch` run with its tree in the workspace
/// table. The schema checks the raw values, so a new kind needs a migration.
public enum RunKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// Iterated amplification: targets come from Amp(H, X_teacher).
    case ia
    /// The baseline: the same loop trained on ground-truth targets.
    case supervised
    /// A parent that groups the runs of one invocation; it trains nothing itself.
    case group
    /// HCH with the scripted expert on some questions: no training, a tree of workspaces.
    case hch
    /// RL from preferences (E_b's or the truth's, in its configuration): a policy and a reward
    /// model, no amplification (`Documentation/RLHF.md`).
    case rlhf
}
