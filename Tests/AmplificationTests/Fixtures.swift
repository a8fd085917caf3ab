import Amplification
import SeededRandom
import Tasks

/// Tasks and instances the amplification tests run on.
enum Fixtures {
    /// The tasks by command-line name, at a preset (`tiny`, `small`).
    static let taskNames = TaskCatalog.taskNames
    static let presets = ["tiny", "small"]

    static func task(_ name: String, preset: String) -> any AmplificationTask {
        guard let task = try? TaskCatalog.task(named: name, preset: preset) else {
            preconditionFailure("Fixtures.task: the catalog has no \(name) at \(preset)")
        }
        return task
    }

    /// `count` full-size instances drawn from `seed`.
    static func instances(of task: any AmplificationTask, count: Int, seed: UInt64) -> [TaskInstance] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in task.makeInstance(size: task.size, using: &rng) }
    }

    /// `count` instances drawn from `seed` as a run's contexts, and their main questions.
    static func mainQuestions(of task: any AmplificationTask, count: Int, seed: UInt64) -> (
        contexts: [InstanceContext], queries: [AssistantQuery]
    ) {
        let instances = instances(of: task, count: count, seed: seed)
        return (InstanceContext.contexts(for: instances, task: task), AssistantQuery.mainQuestions(of: instances, seed: seed))
    }

    /// The ground truth and depth of every main question of `instances`, in query order.
    static func truth(of task: any AmplificationTask, _ instances: [TaskInstance]) -> [(answer: Content, depth: Int)] {
        instances.flatMap { instance in
            let oracle = task.oracle(for: instance)
            return instance.questions.map { (Content.tokens(oracle.groundTruth($0)), oracle.depth(of: $0)) }
        }
    }

    /// The batch sizes the synchronous fast path makes for `workspaces` worked by an expert that
    /// never loops: every workspace moves until it waits for the assistant, so call k carries
    /// each workspace's k-th non-leaf sub-question.
    static func batchSizes(of workspaces: [Workspace], task: any AmplificationTask) -> [Int] {
        let asked = workspaces.map { workspace in
            workspace.exchanges.count { !task.isLeaf($0.question.tokens) }
        }
        return (0..<(asked.max() ?? 0)).map { call in asked.count { $0 > call } }
    }
}
