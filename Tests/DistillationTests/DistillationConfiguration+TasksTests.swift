import Distillation
import Testing

@Suite struct DistillationConfigurationTasksTests {
    @Test(arguments: ["permutation", "assignments", "wildcard", "shortest-path", "union-find"])
    func smallPresetGivesEachTaskItsMeasuredSteps(task: String) throws {
        let configuration = try #require(DistillationConfiguration.preset(named: "small", task: task))
        #expect(configuration.steps == DistillationConfiguration.smallSteps[task])
        #expect(configuration.evaluation.interval * 10 == configuration.steps)
        #expect(configuration.problem == nil)
    }

    @Test func otherPresetsAndTasksAreUnchanged() {
        #expect(DistillationConfiguration.preset(named: "tiny", task: "union-find") == .tiny)
        #expect(DistillationConfiguration.preset(named: "paper", task: "wildcard") == .paper)
        #expect(DistillationConfiguration.preset(named: "small", task: "mine") == .small)
        #expect(DistillationConfiguration.preset(named: "huge", task: "wildcard") == nil)
    }
}
