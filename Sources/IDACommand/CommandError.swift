/// What the command line itself refuses: one line saying what is wrong, with a hint where a fix
/// is known. Other modules' errors (`StoreError`, `TaskLookupError`, `InstanceFileError`,
/// `CheckpointError`, `DistillationError`, `ApplicationError`) are printed as they are.
enum CommandError: Error, Equatable, CustomStringConvertible {
    /// A file cannot be read or written.
    case file(path: String, problem: String)
    /// A stored run stopped before it was done (a spent budget, a model that failed), with how
    /// to go on with it.
    case stopped(run: String, reason: String)

    var description: String {
        switch self {
        case .file(let path, let problem):
            "\(path): \(problem)"
        case .stopped(let run, let reason):
            "\(reason); run \(run) is stored as far as it got: `ida amplify --resume \(run)` goes on with it"
        }
    }
}
