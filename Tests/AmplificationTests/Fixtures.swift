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

    /// The batch sizes a run of turns makes for `workspaces` with an expert that never loops:
    /// the s-th exchange of each workspace was asked in turn s, and the turn's non-leaf ones
    /// form one call.
    static func batchSizes(of workspaces: [Workspace], task: any AmplificationTask) -> [Int] {
        let steps = workspaces.map(\.exchanges.count).max() ?? 0
        return (0..<steps).map { step in
            workspaces.count { $0.exchanges.count > step && !task.isLeaf($0.exchanges[step].question.tokens) }
        }.filter { $0 > 0 }
    }
}
