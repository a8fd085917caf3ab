/// How many expert demonstrations H′ needs, tied to X's progress and H′'s loss (reference §5.3).
///
/// `needed` starts at ``DemonstrationScheduleConfiguration/initialDemonstrations`` and grows by
/// `rate × new X steps`, with rate 1 while the EMA of H′'s loss on fresh demonstrations is ≥ 0.1,
/// 0.1 below 0.1 and 0.01 below 0.01. The loss EMA has a horizon of `3000 · rate / batchSize`
/// batches of `batchSize` demonstrations, i.e. `3000 · rate` demonstrations: a batch of k weighs
/// k / (3000 · rate), so the small batches owed at low rates (often a single demonstration) move
/// the average by their size, not as much as a full batch (a running mean until the horizon has
/// been seen). So demonstrations are about one per X step while H′ is bad, falling to one per 100
/// X steps once it is accurate.
///
/// Weighting per batch instead let one lucky demonstration at rate 0.1 drop the rate to 0.01 and
/// pause H′ (``AskerConfiguration/pauseLoss``): measured on wildcard small (seed 1), H′
/// then froze at 93 % held-out main-answer accuracy and X ended 9 points below the scripted run.
///
/// It also counts **expert calls**: every action the real expert took to produce the
/// demonstrations (sub-questions asked plus answers given) or in H′'s place, the scarce resource
/// when the expert is a person.
///
/// ```swift
/// var schedule = DemonstrationSchedule(configuration: .small)
/// schedule.advance(toAnswererStep: 100)
/// let k = schedule.pendingBatchSize        // generate k demonstrations, then:
/// schedule.record(demonstrations: k, expertCalls: calls, freshLoss: lossBeforeTraining)
/// ```
public struct DemonstrationSchedule: Codable, Sendable, Equatable {
    public let configuration: DemonstrationScheduleConfiguration
    /// Demonstrations owed so far (fractional: the rate is).
    public private(set) var needed: Double
    /// Demonstrations generated so far.
    public private(set) var generated = 0
    /// Expert actions spent on them and on the actions H′ deferred (``record(deferredCalls:)``).
    public private(set) var expertCalls = 0
    /// X steps accounted for.
    public private(set) var answererSteps = 0
    /// The EMA of H′'s loss on fresh demonstrations; nil before the first batch.
    public private(set) var lossAverage: Double?
    /// Batches folded into ``lossAverage``.
    public private(set) var lossBatches = 0
    /// Demonstrations folded into ``lossAverage``.
    public private(set) var lossDemonstrations = 0

    public init(configuration: DemonstrationScheduleConfiguration = .small) {
        configuration.validate()
        self.configuration = configuration
        needed = Double(configuration.initialDemonstrations)
    }

    /// The current rate: demonstrations owed per X step.
    public var rate: Double {
        guard let lossAverage else { return 1 }
        if lossAverage < configuration.secondLossThreshold { return 0.01 }
        if lossAverage < configuration.firstLossThreshold { return 0.1 }
        return 1
    }

    /// Accounts for X having reached `step` (steps already counted are ignored).
    public mutating func advance(toAnswererStep step: Int) {
        guard step > answererSteps else { return }
        needed += rate * Double(step - answererSteps)
        answererSteps = step
    }

    /// How many demonstrations to generate now: `min(batchSize, ⌊needed⌋ − generated)`, or 0.
    public var pendingBatchSize: Int {
        max(0, min(configuration.batchSize, Int(needed.rounded(.down)) - generated))
    }

    /// Records a generated batch: its size, the expert actions it cost, and H′'s mean loss on it
    /// measured before training on it.
    ///
    /// - Precondition: counts non-negative; the loss finite and non-negative.
    public mutating func record(demonstrations: Int, expertCalls calls: Int, freshLoss: Double) {
        precondition(
            demonstrations >= 0 && calls >= 0 && freshLoss.isFinite && freshLoss >= 0,
            "DemonstrationSchedule.record: invalid batch, \(demonstrations) demonstrations, \(calls) calls, loss \(freshLoss)")
        generated += demonstrations
        expertCalls += calls
        lossBatches += 1
        lossDemonstrations += demonstrations
        // Per demonstration: a batch of k weighs k / horizon, a full batch as the reference's
        // one batch in `horizonScale · rate / batchSize`; a running mean until the horizon fills.
        let horizon = max(1, configuration.horizonScale * rate)
        let count = Double(demonstrations)
        let weight = lossDemonstrations == 0 ? 0 : min(1, max(count / horizon, count / Double(lossDemonstrations)))
        lossAverage = (lossAverage ?? freshLoss) + weight * (freshLoss - (lossAverage ?? freshLoss))
    }

    /// Records expert calls made outside demonstrations: actions H′ deferred to the expert.
    ///
    /// - Precondition: `calls ≥ 0`.
    public mutating func record(deferredCalls calls: Int) {
        precondition(calls >= 0, "DemonstrationSchedule.record: \(calls) deferred calls")
        expertCalls += calls
    }
}
