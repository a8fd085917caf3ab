import Foundation
import IDATestSupport
import SeededRandom
import Testing

@testable import NeuralNetworks

/// Random and mutated checkpoint files through `Checkpoint(bytes:)`, `Answerer(checkpoint:)` and
/// `Module.loadParameters`. Half the mutated inputs get a fresh checksum, as a hand-edited or
/// maliciously made file would, so the structure and the model checks behind the checksum are
/// reached too. Every input is either accepted (and then serialises back to the same bytes) or
/// rejected with a `CheckpointError` of one line; a rejected load leaves the model as it was.
///
/// These readers take bytes and return values; they have no path to a store (`ida eval
/// --checkpoint FILE` reads the file without opening `--db`, which `EvalCommandTests` shows).
@Suite struct CheckpointFuzzTests {
    /// `IDA_FUZZ_ITERATIONS` (`scripts/fuzz` sets 1,000,000); the default keeps this test a few
    /// seconds in a debug build.
    static let iterations = FuzzBudget.iterations(environment: ProcessInfo.processInfo.environment, default: 15_000)

    /// An answerer with every kind of layer at the smallest sizes, so one load costs microseconds.
    static func model(seed: UInt64) -> Answerer {
        var rng = SplitMix64(seed: seed)
        return Answerer(
            configuration: AnswererConfiguration(
                modelDimension: 4, tokenEmbeddingDimension: 2, headCount: 2, factLayerCount: 1, questionLayerCount: 1,
                feedForwardMultiplier: 1),
            dimensions: TaskDimensions(vocabularySize: 5, factLength: 2, questionLength: 2, answerLength: 2), rng: &rng)
    }

    static let seeds: [[UInt8]] = [
        model(seed: 1).checkpoint().serialized(),
        CheckpointTests.sample.serialized(),
        Checkpoint(configuration: [], parameters: []).serialized(),
    ]

    /// `bytes` with the checksum recomputed over everything before it.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 8 else { return bytes }
        var out = Array(bytes.dropLast(8))
        withUnsafeBytes(of: fnv1a64(out[...]).littleEndian) { out.append(contentsOf: $0) }
        return out
    }

    @Test func mutatedCheckpointsLoadOrAreRejectedWithOneLine() {
        var mutator = ByteMutator(seeds: Self.seeds, dialect: .binary, seed: 2)
        var tally = FuzzTally()
        var failures = FuzzFailures()
        let target = Self.model(seed: 1)  // seeds[0] is its checkpoint
        let original = target.parameters().map(\.tensor.scalars)
        let clock = ContinuousClock()
        let start = clock.now
        for iteration in 0..<Self.iterations {
            let mutated = mutator.next()
            let input = iteration.isMultiple(of: 2) ? Self.resealed(mutated) : mutated
            let began = clock.now
            Self.check(input, target: target, original: original, &tally, &failures)
            failures.checkTime(began.duration(to: clock.now), input: input)
        }
        print(tally.summary(reader: "checkpoint", duration: start.duration(to: clock.now)))
        #expect(tally.tried == Self.iterations)
        #expect(failures.count == 0, "\(failures.report)")
    }

    static func check(
        _ input: [UInt8], target: Answerer, original: [[Float]], _ tally: inout FuzzTally, _ failures: inout FuzzFailures
    ) {
        func rejected(_ error: CheckpointError) {
            let message = error.description
            if message.contains(where: \.isNewline) { failures.record("message is not one line: \(message)", input: input) }
            if message.count > 1_000 { failures.record("message is \(message.count) characters", input: input) }
            tally.reject(error)
        }
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint(bytes: input)
        } catch {
            return rejected(error)
        }
        if checkpoint.serialized() != input { failures.record("accepted bytes do not serialise back", input: input) }
        do {
            try target.load(checkpoint)
            if target.parameters().map(\.tensor.scalars).map({ $0.map(\.bitPattern) })
                != checkpoint.parameters.map({ $0.values.map(\.bitPattern) })
            {
                failures.record("a load did not copy every value", input: input)
            }
            try target.load(Checkpoint(bytes: Self.seeds[0]))
            // A checkpoint that fits the model must also build one.
            _ = try Answerer(checkpoint: checkpoint)
            tally.accept()
        } catch {
            if target.parameters().map(\.tensor.scalars) != original {
                failures.record("a rejected load changed the model", input: input)
            }
            do {
                _ = try Answerer(checkpoint: checkpoint)
                tally.reject(kind: "builtButDoesNotFitTheFixture")
            } catch {
                rejected(error)
            }
        }
    }
}

