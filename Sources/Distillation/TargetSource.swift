/// Where a run's training targets come from: the one switch between IA and the supervised
/// baseline (reference §5.4: everything else, architecture, teacher, curriculum, buffer and
/// steps, stays the same).
public enum TargetSource: String, Codable, Sendable, CaseIterable, Hashable {
    /// Iterated amplification: targets are Amp(H, X_teacher) answers with leaf lookups; no
    /// ground truth reaches them (checked by the ``GroundTruthLedger`` after every generation).
    case amplification
    /// The supervised baseline: targets are ground-truth answers, each one counted as a label.
    case groundTruth
}
