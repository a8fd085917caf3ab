import Distillation
import Testing

@Suite struct DistillationConfigurationTasksTests {
    @Test(arguments: ["permutation", "assignments", "wildcard", "shortest-path", "union-find"])
    func smallPresetGivesEachTaskItsMeasuredTuning(task: String) throws {
        let configuration = try #require(DistillationConfiguration.preset(named: "small", task: task))
        let tuning = try #require(DistillationConfiguration.smallTuning[task])
        #expect(configuration.steps == tuning.steps)
        #expect(configuration.batchSize == tuning.batchSize)
        #expect(configuration.generationInterval == tuning.generationInterval)
        #expect(configuration.instancesPerGeneration == tuning.instancesPerGeneration)
        #expect(configuration.bufferCapacity == tuning.bufferCapacity)
        #expect(configuration.curriculum.enabled == tuning.curriculum)
        #expect(configuration.evaluation.interval * 10 == configuration.steps)
        #expect(configuration.problem == nil)
    }

    /// The measured choices (Documentation/Training.md): the paper's 10 uses per target and no
    /// curriculum, except that permutation powering and union find train once on each target
    /// (fresh instances every step) and permutation grows its instances from 4 elements.
    @Test(arguments: [
        ("permutation", 1.0, true), ("assignments", 10.0, false), ("wildcard", 10.0, false),
        ("shortest-path", 10.0, false), ("union-find", 1.0, false),
    ])
    func smallPresetReuseAndCurriculumAreTheMeasuredOnes(task: String, uses: Double, curriculum: Bool) throws {
        let configuration = try #require(DistillationConfiguration.preset(named: "small", task: task))
        #expect(configuration.expectedUses == uses)
        #expect(configuration.curriculum.enabled == curriculum)
    }

    @Test(arguments: [16, 64])
    func shortTuningKeepsTenUsesAndAHundredAndTwentyFiveStepLife(batchSize: Int) {
        let tuning = DistillationConfiguration.TaskTuning(steps: 3000, batchSize: batchSize)
        #expect(tuning.batchSize * tuning.generationInterval == 10 * tuning.instancesPerGeneration)
        #expect(tuning.bufferCapacity / tuning.instancesPerGeneration * tuning.generationInterval == 125)
        #expect(!tuning.curriculum)
    }

    @Test func otherPresetsAndTasksAreUnchanged() {
        #expect(DistillationConfiguration.preset(named: "tiny", task: "union-find") == .tiny)
        #expect(DistillationConfiguration.preset(named: "paper", task: "wildcard") == .paper)
        #expect(DistillationConfiguration.preset(named: "small", task: "mine") == .small)
        #expect(DistillationConfiguration.preset(named: "huge", task: "wildcard") == nil)
    }
}
