/// What can go wrong in distillation that is not a programmer error.
public enum DistillationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The configuration cannot run (a size or count out of range).
    case invalidConfiguration(String)
    /// A saved state does not fit the task or this build (task, sizes or format differ).
    case incompatibleState(String)
    /// A saved state's bytes do not decode.
    case unreadableState(String)
    /// Ground truth reached an IA target other than through a leaf lookup.
    case groundTruthInTargets(count: Int)
    /// Targets grown elsewhere do not fit the questions they answer.
    case invalidTargets(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let problem):
            "invalid distillation configuration: \(problem)\nhint: start from a preset (.tiny, .small, .paper)"
        case .incompatibleState(let problem):
            "saved training state does not fit: \(problem)\nhint: resume with the task and preset the run started with"
        case .unreadableState(let problem):
            "saved training state is unreadable: \(problem)\nhint: the file is damaged or from another program; start a new run"
        case .groundTruthInTargets(let count):
            "\(count) ground-truth answer(s) reached amplification targets; IA may use ground truth only through leaf lookups"
        case .invalidTargets(let problem):
            "targets grown elsewhere do not fit their questions: \(problem)"
        }
    }
}
