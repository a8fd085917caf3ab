@testable import Application
import Asker
import Distillation
import Foundation
@testable import IDACommand
import Testing

@Suite struct JobConfigurationTests {
    static func configuration(schedule: TrainingSchedule = .continuous, steps: Int? = nil) -> JobConfiguration {
        JobConfiguration(
            tasks: ["wildcard"], preset: "tiny", schedule: schedule, seed: 9, steps: steps, checkpointInterval: 7,
            evaluationInterval: 0)
    }

    @Test func overridesReplaceThePresetsValues() throws {
        let ia = try Self.configuration(steps: 123).distillation(task: "wildcard", targets: .amplification)
        #expect(ia.steps == 123)
        #expect(ia.checkpointInterval == 7)
        #expect(ia.evaluation.interval == 0)
        #expect(ia.evaluation.amplified)
        #expect(ia.answerer == DistillationConfiguration.tiny.answerer)
    }

    @Test func roundsStepsAreStepsPerRound() throws {
        let rounds = try Self.configuration(schedule: .rounds, steps: 50).distillation(task: "wildcard", targets: .amplification)
        #expect(rounds.rounds.stepsPerRound == 50)
        #expect(rounds.steps == DistillationConfiguration.tiny.steps)
        #expect(rounds.steps(schedule: .rounds) == 50 * rounds.rounds.roundCount)
    }

    @Test func theBaselineDiffersOnlyBySkippingTheAmplifiedEvaluation() throws {
        var ia = try Self.configuration().distillation(task: "wildcard", targets: .amplification)
        let supervised = try Self.configuration().distillation(task: "wildcard", targets: .groundTruth)
        #expect(!supervised.evaluation.amplified)
        ia.evaluation.amplified = false
        #expect(ia == supervised)
    }

    @Test func smallUsesTheTasksOwnSteps() throws {
        var configuration = Self.configuration()
        configuration.preset = "small"
        configuration.checkpointInterval = nil
        configuration.evaluationInterval = nil
        for task in ["permutation", "union-find"] {
            let distillation = try configuration.distillation(task: task, targets: .amplification)
            #expect(distillation == DistillationConfiguration.preset(named: "small", task: task))
        }
    }

    @Test func anUnknownPresetIsAnError() {
        var configuration = Self.configuration()
        configuration.preset = "huge"
        #expect(throws: ApplicationError.invalidJob("unknown preset \"huge\"; available presets: tiny, small, paper")) {
            try configuration.distillation(task: "wildcard", targets: .amplification)
        }
    }

    @Test func jsonRoundTripsAndNamesTheTaskArgument() throws {
        let configuration = Self.configuration()
        #expect(try JobConfiguration.decode(configuration.json(), run: "r") == configuration)
        #expect(configuration.taskArgument == "wildcard")
        var all = configuration
        all.tasks = ["permutation", "wildcard"]
        #expect(all.taskArgument == "all")
        #expect(throws: ApplicationError.unreadableRun(run: "r", problem: "its configuration is not an ida run configuration")) {
            try JobConfiguration.decode("{}", run: "r")
        }
    }

    /// `--supervisor learned` gives IA the preset's H′; the baseline never gets one.
    @Test(arguments: ["tiny", "small"])
    func learnedGivesIAThePresetsAsker(preset: String) throws {
        var configuration = Self.configuration()
        configuration.preset = preset
        #expect(try configuration.distillation(task: "wildcard", targets: .amplification).asker == nil)
        configuration.supervisor = .learned
        let ia = try configuration.distillation(task: "wildcard", targets: .amplification)
        #expect(ia.asker == AskerConfiguration.presets[preset])
        #expect(try configuration.distillation(task: "wildcard", targets: .groundTruth).asker == nil)
        #expect(try JobConfiguration.decode(configuration.json(), run: "r") == configuration)
    }

    /// Configurations stored before `--supervisor` existed read as scripted.
    @Test func olderConfigurationsReadAsScripted() throws {
        var object = try #require(
            JSONSerialization.jsonObject(with: Data(Self.configuration().json().utf8)) as? [String: Any])
        #expect(object["supervisor"] as? String == "scripted")
        object["supervisor"] = nil
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        #expect(try JobConfiguration.decode(text, run: "r") == Self.configuration())
    }
}
