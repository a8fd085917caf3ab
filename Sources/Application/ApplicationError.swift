/// What the application layer refuses: one line saying what is wrong.
public enum ApplicationError: Error, Equatable, CustomStringConvertible {
    /// A stored run's configuration, report or tree cannot be read by this build.
    case unreadableRun(run: String, problem: String)
    /// A job that cannot run as asked (the reason).
    case invalidJob(String)

    public var description: String {
        switch self {
        case .unreadableRun(let run, let problem):
            "run \(run) cannot be read by this ida: \(problem)"
        case .invalidJob(let problem):
            problem
        }
    }
}
