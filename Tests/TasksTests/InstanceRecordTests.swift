import SeededRandom
import Tasks
import Testing

@Suite struct InstanceRecordTests {
    @Test(arguments: TaskCatalog.taskNames, [UInt64(1), 2])
    func labelledRecordCarriesGroundTruthAndDepths(name: String, seed: UInt64) throws {
        let configuration = try TaskCatalog.configuration(task: name, preset: .tiny)
        let task = configuration.makeTask()
        var rng = SplitMix64(seed: seed)
        let instance = task.makeInstance(size: task.size, using: &rng)
        let record = InstanceRecord.labelled(instance, configuration: configuration)
        let oracle = task.oracle(for: instance)
        #expect(record.instance == instance)
        #expect(record.answers == instance.questions.map(oracle.groundTruth))
        #expect(record.depths == instance.questions.map(oracle.depth(of:)))
    }
}
