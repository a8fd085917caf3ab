import Amplification
import Asker
import Distillation
import Foundation
import Tasks
import Testing

/// H′ wired into the distillation loop (`DistillationConfiguration.asker`).
@Suite struct DistillerWithAskerTests {
    static func configuration(asker: AskerConfiguration?) -> DistillationConfiguration {
        var configuration = DistillationConfiguration.tiny
        configuration.steps = 30
        configuration.evaluation.interval = 0
        configuration.evaluation.instanceCount = 0
        configuration.checkpointInterval = 0
        configuration.asker = asker
        return configuration
    }

    static var tinyAsker: AskerConfiguration {
        var asker = AskerConfiguration.tiny
        asker.leadSteps = 20
        return asker
    }

    /// With H′ the targets' supervisor actions are H′'s; the expert is called only for
    /// demonstrations, and no ground truth is consumed.
    @Test(arguments: [1, 2] as [UInt64])
    func learnedRunCountsOnlyDemonstrationsAsExpertCalls(seed: UInt64) async throws {
        let distiller = try Distiller(
            task: PermutationPowering(.tiny), configuration: Self.configuration(asker: Self.tinyAsker), seed: seed)
        let report = try await distiller.run()
        let asker = try #require(distiller.asker)
        #expect(report.counters.expertCalls == asker.schedule.expertCalls && report.counters.expertCalls > 0)
        #expect(asker.schedule.generated >= DemonstrationScheduleConfiguration.tiny.initialDemonstrations)
        #expect(asker.trainer.stepCount > 0)
        #expect(report.counters.amplification.supervisorActions > 0 && report.counters.groundTruthLabels == 0)
    }

    /// An H′ that never trains gives no action probability 1, so with a deferral probability of 1
    /// it hands the scripted expert every action: X then learns exactly as from the scripted
    /// expert (the same losses at every step).
    @Test(arguments: [1, 2] as [UInt64])
    func hPrimeDeferringEveryActionTrainsXAsTheExpertDoes(seed: UInt64) async throws {
        func losses(_ distiller: Distiller) async throws -> ([Double], DistillationReport) {
            var losses: [Double] = []
            let report = try await distiller.run { event in
                if case .step(let metrics) = event { losses.append(metrics.loss) }
            }
            return (losses, report)
        }
        var asker = Self.tinyAsker
        asker.leadSteps = 0
        asker.stepsPerAnswererStep = 0
        asker.deferralProbability = 1
        let task = PermutationPowering(.tiny)
        let deferring = try Distiller(task: task, configuration: Self.configuration(asker: asker), seed: seed)
        let (deferringLosses, deferringReport) = try await losses(deferring)
        let (scriptedLosses, scriptedReport) = try await losses(
            Distiller(task: task, configuration: Self.configuration(asker: nil), seed: seed))
        #expect(deferringLosses == scriptedLosses && deferringLosses.count == 30)
        #expect(deferring.asker?.trainer.stepCount == 0)
        // The same targets, so as many supervisor actions; the expert calls are the loop's
        // (demonstrations and deferred actions, AskerLoopTests).
        #expect(deferringReport.counters.amplification.supervisorActions == scriptedReport.counters.amplification.supervisorActions)
        let schedule = try #require(deferring.asker?.schedule)
        #expect(deferringReport.counters.expertCalls == schedule.expertCalls)
    }

    /// Without H′ every supervisor action is an expert call; the baseline calls no expert.
    @Test func scriptedRunCountsEveryActionAndBaselineNone() async throws {
        let scripted = try Distiller(task: PermutationPowering(.tiny), configuration: Self.configuration(asker: nil), seed: 3)
        let report = try await scripted.run()
        #expect(scripted.asker == nil)
        #expect(report.counters.expertCalls == report.counters.amplification.supervisorActions && report.counters.expertCalls > 0)
        let baseline = try Distiller(
            task: PermutationPowering(.tiny), configuration: Self.configuration(asker: Self.tinyAsker), targets: .groundTruth,
            seed: 3)
        let baselineReport = try await baseline.run()
        #expect(baseline.asker == nil && baselineReport.counters.expertCalls == 0)
    }

    /// Runs stored before H′ existed still decode: no `expertCalls`, no `asker`.
    @Test func olderCountersAndConfigurationsDecode() throws {
        var counters = TrainingCounters()
        counters.steps = 7
        counters.expertCalls = 5
        var object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(counters)) as? [String: Any])
        #expect(object["expertCalls"] as? Int == 5)
        object["expertCalls"] = nil
        let old = try JSONDecoder().decode(TrainingCounters.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.steps == 7 && old.expertCalls == 0)

        var configuration = try #require(
            JSONSerialization.jsonObject(with: JSONEncoder().encode(DistillationConfiguration.tiny)) as? [String: Any])
        configuration["asker"] = nil
        let decoded = try JSONDecoder().decode(
            DistillationConfiguration.self, from: JSONSerialization.data(withJSONObject: configuration))
        #expect(decoded == DistillationConfiguration.tiny && decoded.asker == nil)
    }

    /// A learned-supervisor run stopped at a checkpoint and resumed from its serialised state
    /// ends exactly like the uninterrupted run: H′'s weights, Adam, buffer and schedule are in
    /// the state, so the targets, the expert calls and H′'s report are the same; with H′
    /// deferring to the expert too (it forgets its remembered actions at every checkpoint, so the
    /// expert is consulted on the same workspaces either way).
    @Test(arguments: [(2, nil), (3, 0.9)] as [(UInt64, Double?)])
    func resumedLearnedRunEqualsUninterruptedRun(seed: UInt64, deferralProbability: Double?) async throws {
        var asker = Self.tinyAsker
        asker.deferralProbability = deferralProbability
        var configuration = Self.configuration(asker: asker)
        configuration.steps = 40
        configuration.checkpointInterval = 10
        configuration.evaluation.instanceCount = 4
        let task = PermutationPowering(.tiny)
        func run(_ distiller: Distiller) async throws -> (losses: [Double], report: DistillationReport) {
            var losses: [Double] = []
            let report = try await distiller.run { event in
                if case .step(let metrics) = event { losses.append(metrics.loss) }
            }
            return (losses, report)
        }
        let whole = try await run(Distiller(task: task, configuration: configuration, seed: seed))

        struct Crash: Error {}
        var saved: [UInt8]?
        var lossesBefore: [Double] = []
        let interrupted = try Distiller(task: task, configuration: configuration, seed: seed)
        await #expect(throws: Crash.self) {
            _ = try await interrupted.run { event in
                switch event {
                case .step(let metrics): lossesBefore.append(metrics.loss)
                case .checkpoint(let state) where state.step >= 20:
                    saved = try state.serialized()
                    throw Crash()
                default: break
                }
            }
        }
        let state = try TrainingState(bytes: #require(saved))
        #expect(state.asker != nil)
        let resumed = try Distiller(task: task, resuming: state)
        #expect(resumed.asker?.state() == state.asker)
        let rest = try await run(resumed)
        #expect(lossesBefore + rest.losses == whole.losses)
        #expect(rest.report == whole.report)
        let report = try #require(whole.report.asker)
        #expect(report.expertCalls == whole.report.counters.expertCalls && report.demonstrations > 0)
        #expect(report.heldOutAccuracy != nil && whole.report.evaluation.askerAccuracy == report.heldOutAccuracy)
    }

    /// How `ida run` hands a stored state to a side's child task.
    enum Start: Sendable {
        case fresh
        case resume(TrainingState)
    }

    /// H′'s state as the resumed loop holds it, or nil for a fresh start.
    static func resumedAsker(task: any AmplificationTask, _ start: Start) async throws -> AskerState? {
        guard case .resume(let state) = start else { return nil }
        return try Distiller(task: task, resuming: state).asker?.state()
    }

    /// Every stored H′ field reaches the loop along `ida run --resume`'s path (bytes decoded, the
    /// state carried in an enum into one of two child tasks, `Distiller(task:resuming:)`), and
    /// the next checkpoint event carries the loop's values. The counters are nonzero, so a last
    /// field read stale or left unset cannot pass as the 0 of a fresh loop.
    @Test func everyStoredHPrimeFieldReachesTheResumedLoopAndItsCheckpoints() async throws {
        let task = PermutationPowering(.tiny)
        var configuration = Self.configuration(asker: Self.tinyAsker)
        configuration.steps = 1
        configuration.checkpointInterval = 1
        var state = try Distiller(task: task, configuration: configuration, seed: 4).state()
        let fresh = try #require(state.asker)
        let accuracy = ActionAccuracy(
            subquestionTokens: 0.5, answerTokens: 0.25, subquestions: 0.125, answers: 0.0625, transcriptCount: 3)
        let stored = AskerState(
            model: fresh.model, optimizer: fresh.optimizer, buffer: fresh.buffer, nextSlot: fresh.nextSlot, stepCount: 17,
            trainerRandom: fresh.trainerRandom, random: fresh.random, schedule: fresh.schedule, latestAccuracy: accuracy,
            pausedSteps: 639)
        state.asker = stored
        let bytes = try state.serialized()
        for _ in 0..<4 {
            async let restored = Self.resumedAsker(task: task, .resume(TrainingState(bytes: bytes)))
            async let other = Self.resumedAsker(task: task, .fresh)
            let (asker, none) = try await (restored, other)
            #expect(asker == stored && none == nil)
        }

        let resumed = try Distiller(task: task, resuming: TrainingState(bytes: bytes))
        var checkpoints = 0
        _ = try await resumed.run { event in
            guard case .checkpoint(let saved) = event else { return }
            checkpoints += 1
            let loop = try #require(resumed.asker)
            let decoded = try TrainingState(bytes: saved.serialized()).asker
            #expect(saved.asker == loop.state() && decoded == saved.asker)
            #expect(decoded?.pausedSteps == loop.pausedSteps && loop.pausedSteps >= 639)
        }
        #expect(checkpoints == 1)
    }

    /// A state saved before H′ was checkpointed (no `asker`) still resumes: H′ starts afresh.
    @Test func aStateWithoutHPrimeResumesWithAFreshHPrime() async throws {
        let distiller = try Distiller(
            task: PermutationPowering(.tiny), configuration: Self.configuration(asker: Self.tinyAsker), seed: 1)
        var state = distiller.state()
        state.asker = nil
        let resumed = try Distiller(task: PermutationPowering(.tiny), resuming: TrainingState(bytes: state.serialized()))
        #expect(resumed.asker?.schedule.generated == 0)
    }

    /// Without H′ the report and the evaluations carry no H′ part.
    @Test func scriptedReportsHaveNoAskerPart() async throws {
        var configuration = Self.configuration(asker: nil)
        configuration.evaluation.instanceCount = 4
        let report = try await Distiller(task: PermutationPowering(.tiny), configuration: configuration, seed: 1).run()
        #expect(report.asker == nil && report.evaluation.askerAccuracy == nil)
    }
}
