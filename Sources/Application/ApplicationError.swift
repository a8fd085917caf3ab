/// What the application layer refuses: one line saying what is wrong.
public enum ApplicationError: Error, Equatable, CustomStringConvertible {
    /// A stored run's configuration, report or tree cannot be read by this build.
    case unreadableRun(run: String, problem: String)
    /// A job that cannot run as asked (the reason).
    case invalidJob(String)
    /// `--resume` named a run that is already complete.
    case alreadyComplete(run: String)
    /// The stored run is an amplification tree, which `ida trace` prints, not a training run.
    case tree(run: String)
    /// A checkpoint does not fit the task it is used for.
    case incompatibleCheckpoint(String)
    /// The stored run has no report yet (it was interrupted or is still running).
    case noReport(run: String, status: String)
    /// A run has no checkpoint to evaluate or resume from.
    case noCheckpoint(run: String)
    /// A file that cannot be read (the reason).
    case unreadableFile(path: String, problem: String)
    /// Another process trains the run (it holds the run's ``Store/TrainerLeadership``).
    case trainedElsewhere(run: String)

    public var description: String {
        switch self {
        case .unreadableRun(let run, let problem):
            "run \(run) cannot be read by this ida: \(problem)"
        case .invalidJob(let problem):
            problem
        case .alreadyComplete(let run):
            "run \(run) is already complete; nothing to resume (`ida report \(run)` shows it)"
        case .tree(let run):
            "run \(run) is an amplification tree, not a training run; `ida trace \(run)` prints it"
        case .incompatibleCheckpoint(let problem):
            "incompatible checkpoint: \(problem)"
        case .noReport(let run, let status):
            "run \(run) has no report yet (status \(status)); continue it with `ida run --resume \(run)`"
        case .noCheckpoint(let run):
            "run \(run) has no checkpoint yet (`ida runs` lists the runs and their steps)"
        case .unreadableFile(let path, let problem):
            "\(path): \(problem)"
        case .trainedElsewhere(let run):
            "run \(run) is being trained by another process (it holds the run's lock in the database); "
                + "wait for it to end, or stop it, before resuming"
        }
    }
}
