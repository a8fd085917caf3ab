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

extension RunStore {
    /// Makes this process the trainer of group run `group` when the store is shared by several
    /// machines (``TrainerLeadership``); nil on a store that only one machine uses.
    ///
    /// - Throws: ``ApplicationError/trainedElsewhere(run:)`` when another process trains it.
    func leadTraining(of group: String) throws -> (any RunLeadership)? {
        guard let shared = self as? any TrainerLeadership else { return nil }
        guard let held = try shared.lead(run: group) else { throw ApplicationError.trainedElsewhere(run: group) }
        return held
    }
}
