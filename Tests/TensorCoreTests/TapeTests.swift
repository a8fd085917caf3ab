import IDATestSupport
import SeededRandom
import Testing
@testable import TensorCore

@Suite struct TapeTests {
    @Test func matmulThenSumGivesColumnSumsAsWeightGradient() {
        let w = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4], requiresGradient: true)
        let x = Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1])
        let tape = Tape()
        let loss = tape.recording { x.matmul(w).sum() }
        #expect(loss.item == 1 + 2 + 3 + 4 + 4 + 6)
        loss.backward()
        // dL/dw[k, n] = Σ_m x[m, k]
        #expect(w.gradient == [2, 2, 2, 2])
        #expect(x.gradient == nil)  // data needs no gradient
    }

    @Test func parameterGradientsAccumulateAcrossBackwardPassesUntilZeroed() {
        let w = Tensor(shape: [2], scalars: [1, 2], requiresGradient: true)
        let tape = Tape()
        for _ in 0..<3 { tape.backward(tape.recording { (w * w).sum() }) }
        #expect(w.gradient == [6, 12])
        [w].zeroGradients()
        #expect(w.gradient == [0, 0])
    }

    @Test func opsOutsideARecordingRecordNothing() {
        let w = Tensor(shape: [2], scalars: [1, 2], requiresGradient: true)
        let y = (w * w).sum()
        #expect(y.item == 5)
        #expect(y.backwardStep == nil && y.tape == nil && !y.requiresGradient)
        let tape = Tape()
        let inside = tape.recording { Tape.withoutRecording { (w * w).sum() } }
        #expect(inside.tape == nil && inside.backwardStep == nil)
    }

    @Test func steadyStateStepsReuseThePooledBuffers() {
        var rng = SplitMix64(seed: 1)
        let w = Tensor.normal(shape: [8, 8], standardDeviation: 0.5, using: &rng, requiresGradient: true)
        let x = Tensor.normal(shape: [4, 8], using: &rng)
        let tape = Tape()
        func step() -> Float {
            let loss = tape.recording { x.matmul(w).gelu().layerNorm(weight: Tensor(repeating: 1, shape: [8]), bias: Tensor.zeros(shape: [8])).softmax().crossEntropy(targets: [1, 2, 3, 4]) }
            tape.backward(loss)
            return loss.item
        }
        _ = step()
        let afterFirst = tape.pooledBufferCount
        for _ in 0..<5 { _ = step() }
        #expect(afterFirst > 0)
        #expect(tape.pooledBufferCount == afterFirst)
    }

    @Test func resultsHeldAcrossAResetKeepTheirValues() {
        let x = Tensor(shape: [3], scalars: [1, 2, 3], requiresGradient: true)
        let tape = Tape()
        let kept = tape.recording { x * 2 }
        let values = kept.scalars
        _ = tape.recording { (x * 100 + 7).sum() }  // reuses the pool
        #expect(kept.scalars == values)
        #expect(kept.tape == nil)
    }

    @Test func resultsOutliveTheirTape() {
        let x = Tensor(shape: [2], scalars: [1, 2], requiresGradient: true)
        var tape: Tape? = Tape()
        let kept = tape?.recording { (x * 3).exp() }
        tape = nil
        #expect(isClose(kept?.scalars ?? [], [20.085537, 403.428793], tolerance: 1e-5))
    }

    @Test(arguments: [1, 2] as [UInt64])
    func aTwoLayerNetworkAgreesWithTheScalarOracle(seed: UInt64) {
        let x = randomTensor([3, 2], seed: seed, requiresGradient: false)
        let w1 = randomTensor([2, 4], seed: seed + 1), b1 = randomTensor([4], seed: seed + 2), w2 = randomTensor([4, 3], seed: seed + 3)
        let targets = [0, 2, 1]
        let tensor = tapeValuesAndGradients([w1, b1, w2], projection: [1]) { p in
            (x.matmul(p[0]) + p[1]).relu().matmul(p[2]).crossEntropy(targets: targets)
        }
        let sx = ScalarReference.leaves(x.scalars), s1 = ScalarReference.leaves(w1.scalars)
        let sb = ScalarReference.leaves(b1.scalars), s2 = ScalarReference.leaves(w2.scalars)
        let rows = (0..<3).map { Array(sx[($0 * 2)..<($0 * 2 + 2)]) }
        let hidden = ScalarReference.matmul(rows, (0..<2).map { Array(s1[($0 * 4)..<($0 * 4 + 4)]) })
            .map { row in zip(row, sb).map { ($0 + $1).relu() } }
        let logits = ScalarReference.matmul(hidden, (0..<4).map { Array(s2[($0 * 3)..<($0 * 3 + 3)]) })
        let losses = zip(logits, targets).map { ScalarReference.logSumExp($0) - $0[$1] }
        let loss = ScalarReference.sum(losses) * (1.0 / 3)
        #expect(oracleAgrees(tensorResult: tensor, scalarResult: scalarValuesAndGradients([s1, sb, s2], projection: [1], outputs: [loss])))
    }

    @Test func aSecondTapeNestsInsideARecording() {
        let x = Tensor(shape: [1], scalars: [3], requiresGradient: true)
        let outer = Tape(), inner = Tape()
        let loss = outer.recording { () -> Tensor in
            let innerLoss = inner.recording { (x * x).sum() }
            inner.backward(innerLoss)
            return (x * 2).sum()
        }
        outer.backward(loss)
        #expect(x.gradient == [6 + 2])
    }

    @Test func recordingTwiceOnOneTapeAtOnceTraps() async {
        await #expect(processExitsWith: .failure) {
            let tape = Tape()
            tape.recording { tape.recording { _ = Tensor.zeros(shape: [1]) } }
        }
    }

    @Test func backwardOnANonScalarTraps() async {
        await #expect(processExitsWith: .failure) {
            let x = Tensor(shape: [2], scalars: [1, 2], requiresGradient: true)
            let tape = Tape()
            tape.backward(tape.recording { x * 2 })
        }
    }

    @Test func backwardOnAnotherTapesLossTraps() async {
        await #expect(processExitsWith: .failure) {
            let x = Tensor(shape: [1], scalars: [1], requiresGradient: true)
            let loss = Tape().recording { (x * 2).sum() }
            Tape().backward(loss)
        }
    }

    @Test func backwardOnAnUnrecordedTensorTraps() async {
        await #expect(processExitsWith: .failure) {
            Tensor(shape: [1], scalars: [1], requiresGradient: true).sum().backward()
        }
    }
}
