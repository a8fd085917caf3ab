#if canImport(Glibc)
import Glibc
#endif
import IDATestSupport
import PropertyBased
import SeededRandom
import Testing

@testable import TensorCore

@Suite struct CausalCopyGenerateTests {
    /// Random head inputs for B sequences, T queries over S keys, width D, vocabulary V.
    struct Inputs {
        let query: Tensor, key: Tensor, gate: Tensor, generate: Tensor
        let sources: [Int], targets: [Int]

        init(B: Int, T: Int, S: Int, D: Int, V: Int, seed: UInt64) {
            query = randomTensor([B, T, D], seed: seed)
            key = randomTensor([B, S, D], seed: seed + 1)
            gate = randomTensor([B, T, 1], seed: seed + 2)
            generate = randomTensor([B, T, V], seed: seed + 3)
            var rng = SplitMix64(seed: seed + 4)
            // A small vocabulary so that sources repeat and targets are often copyable.
            sources = (0..<(B * S)).map { _ in Int(rng.next() % UInt64(V)) }
            targets = (0..<(B * T)).map { _ in Int(rng.next() % UInt64(V)) }
        }

        func logLikelihood(_ tensors: [Tensor]) -> Tensor {
            Tensor.causalCopyGenerateLogLikelihood(
                copyQuery: tensors[0], copyKey: tensors[1], gate: tensors[2], generate: tensors[3],
                sources: sources, targets: targets)
        }

        var all: [Tensor] { [query, key, gate, generate] }
    }

    @Test(arguments: [(1, 3, 3, 2, 3), (2, 4, 4, 3, 4), (2, 2, 5, 4, 3)] as [(Int, Int, Int, Int, Int)], [1, 2] as [UInt64])
    func gradientMatchesCentralDifferences(shape: (Int, Int, Int, Int, Int), seed: UInt64) {
        let inputs = Inputs(B: shape.0, T: shape.1, S: shape.2, D: shape.3, V: shape.4, seed: seed)
        let report = GradientCheck.run("causalCopyGenerate", inputs: inputs.all, seed: seed) { inputs.logLikelihood($0) }
        #expect(report.passed, "\(report)")
    }

    @Test(arguments: [3, 4] as [UInt64])
    func logProbabilitiesAreNormalisedAndMatchTheLikelihood(seed: UInt64) {
        let (B, T, S, V) = (2, 3, 5, 4)
        let inputs = Inputs(B: B, T: T, S: S, D: 3, V: V, seed: seed)
        let all = Tensor.causalCopyGenerateLogProbabilities(
            copyQuery: inputs.query, copyKey: inputs.key, gate: inputs.gate, generate: inputs.generate,
            sources: inputs.sources)
        let likelihood = inputs.logLikelihood(inputs.all).scalars
        for row in 0..<(B * T) {
            let total = (0..<V).reduce(Float(0)) { $0 + expf(all[row * V + $1]) }
            #expect(abs(total - 1) < 1e-5)
            #expect(abs(all[row * V + inputs.targets[row]] - likelihood[row]) < 1e-5)
        }
    }

    /// A query never sees keys after its own position: changing a later source or key leaves it.
    @Test(arguments: [5, 6] as [UInt64])
    func laterPositionsDoNotChangeEarlierRows(seed: UInt64) {
        let (T, V) = (4, 3)
        let inputs = Inputs(B: 1, T: T, S: T, D: 2, V: V, seed: seed)
        let before = inputs.logLikelihood(inputs.all).scalars
        var sources = inputs.sources
        sources[T - 1] = (sources[T - 1] + 1) % V
        inputs.key.withUnsafeMutableBuffer { $0[($0.count - 2)...].update(repeating: 7) }
        let after = Tensor.causalCopyGenerateLogLikelihood(
            copyQuery: inputs.query, copyKey: inputs.key, gate: inputs.gate, generate: inputs.generate,
            sources: sources, targets: inputs.targets
        ).scalars
        #expect(isClose(Array(after.prefix(T - 1)), Array(before.prefix(T - 1)), tolerance: 1e-6))
        #expect(after[T - 1] != before[T - 1])
    }

    /// With S > T the queries are the last T positions: equal to those rows of a full call.
    @Test func queriesOverALongerKeyCacheAreTheLastRows() {
        let (S, D, V) = (5, 3, 4)
        let full = Inputs(B: 1, T: S, S: S, D: D, V: V, seed: 9)
        let all = Tensor.causalCopyGenerateLogProbabilities(
            copyQuery: full.query, copyKey: full.key, gate: full.gate, generate: full.generate, sources: full.sources)
        let last = Tensor.causalCopyGenerateLogProbabilities(
            copyQuery: full.query.slice(axis: 1, range: 3..<5), copyKey: full.key, gate: full.gate.slice(axis: 1, range: 3..<5),
            generate: full.generate.slice(axis: 1, range: 3..<5), sources: full.sources)
        #expect(isClose(last, Array(all.suffix(2 * V)), tolerance: 1e-6))
    }

    /// The mixture law: a very negative gate gives the generate head alone.
    @Test func closedGateLeavesTheGenerateDistribution() async {
        await propertyCheck(input: Gen.float(in: -4...4).array(of: 3)) { logits in
            let generate = Tensor(shape: [1, 1, 3], scalars: logits)
            let all = Tensor.causalCopyGenerateLogProbabilities(
                copyQuery: Tensor(shape: [1, 1, 1], scalars: [1]), copyKey: Tensor(shape: [1, 1, 1], scalars: [1]),
                gate: Tensor(shape: [1, 1, 1], scalars: [-60]), generate: generate, sources: [2])
            #expect(isClose(all, generate.logSoftmax().scalars, tolerance: 1e-4))
        }
    }

    @Test func fewerKeysThanQueriesTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.causalCopyGenerateLogLikelihood(
                copyQuery: .zeros(shape: [1, 3, 2]), copyKey: .zeros(shape: [1, 2, 2]), gate: .zeros(shape: [1, 3, 1]),
                generate: .zeros(shape: [1, 3, 4]), sources: [0, 1], targets: [0, 1, 2])
        }
    }

    @Test func tokenOutsideTheVocabularyTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.causalCopyGenerateLogLikelihood(
                copyQuery: .zeros(shape: [1, 1, 2]), copyKey: .zeros(shape: [1, 1, 2]), gate: .zeros(shape: [1, 1, 1]),
                generate: .zeros(shape: [1, 1, 4]), sources: [4], targets: [0])
        }
    }
}
