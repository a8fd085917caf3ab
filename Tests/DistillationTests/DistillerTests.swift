import Amplification
import SeededRandom
import Tasks
import Testing

@testable import Distillation

@Suite struct DistillerTests {
    /// A tiny IA run learns: the loss falls and X's depth-0 accuracy on held-out full-size
    /// instances ends well above chance (1/3 for 3 values) and above where it started.
    @Test(.tags(.slow), arguments: [UInt64(1), 2])
    func tinyAssignmentsRunLearnsDepthZero(seed: UInt64) async throws {
        var configuration = DistillationConfiguration.tiny
        configuration.evaluation.interval = 0
        let task = SequentialAssignments(.tiny)
        let initial = try await Distiller(task: task, configuration: configuration, seed: seed).evaluateTeacher()
        let distiller = try Distiller(task: task, configuration: configuration, seed: seed)
        let (losses, report) = try await TestFixtures.run(distiller)
        let early = losses.prefix(50).reduce(0, +) / 50
        let late = losses.suffix(50).reduce(0, +) / 50
        #expect(late < early * 0.8, "loss \(early) → \(late)")
        let depthZero = try #require(report.evaluation.depths.first { $0.depth == 0 })
        let startZero = try #require(initial.depths.first { $0.depth == 0 })
        #expect(depthZero.modelGreedyAccuracy > 0.7, "\(depthZero)")
        #expect(depthZero.modelGreedyAccuracy > startZero.modelGreedyAccuracy, "\(startZero) → \(depthZero)")
        #expect(depthZero.amplifiedAccuracy == 1, "Amp(H, X) answers depth 0 by leaf lookups alone")
    }

    @Test(arguments: TestFixtures.taskNames)
    func amplificationConsumesNoGroundTruthLabels(taskName: String) async throws {
        let distiller = try Distiller(
            task: TestFixtures.task(taskName), configuration: TestFixtures.configuration(steps: 12), seed: 3)
        let report = try await distiller.run()
        #expect(report.counters.groundTruthLabels == 0)
        #expect(report.counters.amplification.leafLookups > 0)
        #expect(report.counters.amplification.supervisorActions > 0)
        #expect(report.counters.targetsGenerated > 0)
    }

    @Test(arguments: TestFixtures.taskNames)
    func supervisedConsumesOneLabelPerTarget(taskName: String) async throws {
        let distiller = try Distiller(
            task: TestFixtures.task(taskName), configuration: TestFixtures.configuration(steps: 12), targets: .groundTruth,
            seed: 3)
        let report = try await distiller.run()
        #expect(report.counters.groundTruthLabels == report.counters.targetsGenerated)
        #expect(report.counters.targetsGenerated > 0)
        #expect(report.counters.amplification.supervisorActions == 0)
    }

    /// Targets and the curriculum never read ground truth: with an oracle that traps on it (and
    /// evaluation off), an IA run long enough to grow the curriculum still finishes.
    @Test(arguments: ["permutation", "wildcard"])
    func iaRunNeverReadsGroundTruth(taskName: String) async throws {
        var configuration = TestFixtures.configuration(steps: 40, evaluationInstances: 0)
        configuration.curriculum = CurriculumConfiguration(threshold: 0, horizon: 1, minimumGenerations: 1)
        let distiller = try Distiller(
            task: TrappingTask(base: TestFixtures.task(taskName)), configuration: configuration, seed: 5)
        let report = try await distiller.run()
        #expect(report.counters.steps == 40)
        #expect(report.finalCurriculumSize > distiller.task.minimumSize, "the curriculum ran")
    }

    /// The trap is real: the supervised baseline, which does read ground truth, hits it.
    @Test func supervisedRunHitsTheTrappingOracle() async {
        await #expect(processExitsWith: .failure) {
            var configuration = DistillationConfiguration.tiny
            configuration.steps = 5
            configuration.evaluation.instanceCount = 0
            let distiller = try Distiller(
                task: TrappingTask(base: PermutationPowering(.tiny)), configuration: configuration, targets: .groundTruth,
                seed: 1)
            _ = try await distiller.run()
        }
    }

    @Test(arguments: [TargetSource.amplification, .groundTruth])
    func sameSeedGivesTheSameLossSeries(targets: TargetSource) async throws {
        let configuration = TestFixtures.configuration(steps: 25)
        let task = TestFixtures.task("wildcard")
        let first = try await TestFixtures.run(Distiller(task: task, configuration: configuration, targets: targets, seed: 8))
        let second = try await TestFixtures.run(Distiller(task: task, configuration: configuration, targets: targets, seed: 8))
        let other = try await TestFixtures.run(Distiller(task: task, configuration: configuration, targets: targets, seed: 9))
        #expect(first.losses == second.losses)
        #expect(first.report == second.report)
        #expect(first.losses != other.losses)
    }

    /// A run stopped at a checkpoint and resumed from its serialised state ends exactly like an
    /// uninterrupted one.
    @Test(arguments: [TrainingSchedule.continuous, .rounds])
    func resumedRunEqualsUninterruptedRun(schedule: TrainingSchedule) async throws {
        let configuration = TestFixtures.configuration(steps: 30, checkpointInterval: 10)
        let task = TestFixtures.task("permutation")
        let whole = try await TestFixtures.run(Distiller(task: task, configuration: configuration, schedule: schedule, seed: 4))

        struct Crash: Error {}
        var saved: [UInt8]?
        var lossesBefore: [Double] = []
        let interrupted = try Distiller(task: task, configuration: configuration, schedule: schedule, seed: 4)
        await #expect(throws: Crash.self) {
            _ = try await interrupted.run { event in
                switch event {
                case .step(let metrics): lossesBefore.append(metrics.loss)
                case .checkpoint(let state) where state.step >= 10:
                    saved = try state.serialized()
                    throw Crash()
                default: break
                }
            }
        }
        let bytes = try #require(saved)
        let resumed = try Distiller(task: task, resuming: TrainingState(bytes: bytes))
        let rest = try await TestFixtures.run(resumed)
        #expect(lossesBefore + rest.losses == whole.losses)
        #expect(rest.report == whole.report)
    }

    /// In a real run the buffer's measured reuse is close to the configured one.
    @Test func runReusesEachTargetAboutTheConfiguredNumberOfTimes() async throws {
        var configuration = TestFixtures.configuration(steps: 50, evaluationInstances: 0)
        configuration.warmupInstances = 8
        configuration.bufferCapacity = 12
        let distiller = try Distiller(task: TestFixtures.task("permutation"), configuration: configuration, seed: 2)
        _ = try await distiller.run()
        let measured = try #require(distiller.buffer.meanUsesOfEvicted)
        #expect(abs(measured - configuration.expectedUses) < 2.5, "measured \(measured), expected \(configuration.expectedUses)")
    }

    @Test func roundsScheduleReportsAFrontierPerRound() async throws {
        let distiller = try Distiller(
            task: TestFixtures.task("permutation"), configuration: TestFixtures.configuration(steps: 0), schedule: .rounds,
            seed: 6)
        let report = try await distiller.run()
        #expect(report.rounds.map(\.round) == [1, 2])
        #expect(report.counters.steps == 20)
        #expect(report.rounds.allSatisfy { $0.frontier == $0.evaluation.frontier() })
        #expect(report.counters.instancesGenerated == 32)
    }

    @Test func invalidConfigurationThrows() {
        var configuration = DistillationConfiguration.tiny
        configuration.batchSize = 0
        #expect(throws: DistillationError.self) {
            _ = try Distiller(task: PermutationPowering(.tiny), configuration: configuration, seed: 1)
        }
        var tooLarge = DistillationConfiguration.tiny
        tooLarge.curriculum.startSize = 99
        #expect(throws: DistillationError.self) {
            _ = try Distiller(task: PermutationPowering(.tiny), configuration: tooLarge, seed: 1)
        }
    }

    @Test func stateOfAnotherTaskIsRejected() throws {
        let state = try Distiller(task: PermutationPowering(.tiny), configuration: .tiny, seed: 1).state()
        #expect(throws: DistillationError.self) {
            _ = try Distiller(task: WildcardSearch(.tiny), resuming: state)
        }
        #expect(throws: DistillationError.self) {
            _ = try Distiller(task: PermutationPowering(.small), resuming: state)
        }
    }
}

extension Tag {
    @Tag static var slow: Self
}
