import OutsideInput

/// What can go wrong when the store meets a file, a database, a path or an id supplied by a user.
///
/// Each case prints as one line that says what is wrong, followed by a hint where a fix is
/// known. Programmer errors (a negative step, more correct answers than questions) trap instead;
/// SQLite failures after a successful open propagate as GRDB's `DatabaseError`, which carries the
/// SQL and its arguments.
///
/// For example:
///
/// ```swift
/// do {
///     let run = try store.run(id: "r-20261128-0000")
/// } catch let error as StoreError {
///     print(error)   // no run with id r-20261128-0000 (`ida runs` lists the stored runs)
/// }
/// ```
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No run has this id.
    case runNotFound(id: String)
    /// A run with this id is already stored (importing a run keeps its id).
    case runExists(id: String)
    /// A user with this name already exists.
    case userExists(name: String)
    /// No user has this name.
    case userNotFound(name: String)
    /// The run exists but has no checkpoint at this step.
    case checkpointNotFound(runID: String, step: Int)
    /// The file exists but is not an SQLite database (wrong header, or unreadable pages).
    case notADatabase(path: String)
    /// The database (an SQLite file, a PostgreSQL database) belongs to another application.
    case foreignDatabase(path: String)
    /// The database was migrated by a newer ida: it holds migrations this version does not know.
    case newerSchema(path: String, unknownMigrations: [String])
    /// The file cannot be opened or created (missing permission, a directory, a full disk, …).
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .runNotFound(let id):
            "no run with id \(id) (`ida runs` lists the stored runs)"
        case .runExists(let id):
            "a run with id \(id) is already stored (`ida runs` lists the stored runs)"
        case .userExists(let name):
            "a user named \(name) already exists (`ida users` lists them)"
        case .userNotFound(let name):
            "no user named \(name) (`ida users` lists them)"
        case .checkpointNotFound(let runID, let step):
            "run \(runID) has no checkpoint at step \(step) (`ida report \(runID)` lists its checkpoints)"
        case .notADatabase(let path):
            "\(path) is not an ida database: it is not SQLite, or it is damaged; it was left untouched (pass another file with --db)"
        case .foreignDatabase(let path):
            "\(path) is a database of another application; it was left untouched (pass another database with --db)"
        case .newerSchema(let path, let unknown):
            "\(path) was written by a newer ida (unknown migrations: \(unknown.map(ErrorText.printable).joined(separator: ", "))); upgrade ida, or pass another database with --db"
        case .cannotOpen(let path, let reason):
            "cannot open the database at \(path): \(ErrorText.printable(reason)) (pass another file with --db)"
        }
    }
}
