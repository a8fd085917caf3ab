import Store

extension RunStore {
    /// The run `id`, or the job it belongs to when it is one task's run of a group (`ida run`
    /// stores a group with one child per task; reports and resumes name either).
    ///
    /// - Throws: `StoreError.runNotFound`.
    func runOrItsGroup(_ id: String) throws -> RunRecord {
        let run = try self.run(id: id)
        guard let parent = run.parentID else { return run }
        return try self.run(id: parent)
    }
}
