/// What the command line itself refuses: one line saying what is wrong, with a hint where a fix
/// is known. Other modules' errors (`StoreError`, `TaskLookupError`, `InstanceFileError`,
/// `CheckpointError`, `DistillationError`, `ApplicationError`) are printed as they are.
enum CommandError: Error, Equatable, CustomStringConvertible {
    /// A file cannot be read or written.
    case file(path: String, problem: String)

    var description: String {
        switch self {
        case .file(let path, let problem):
            "\(path): \(problem)"
        }
    }
}
