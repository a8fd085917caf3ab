import IDATestSupport
import Testing
@testable import TensorCore

/// `2x` forward with a backward of `scale · dOut`: correct only when scale is 2.
private func doubled(_ x: Tensor, backwardScale: Float) -> Tensor {
    let out = Tensor(uninitializedShape: x.shape)
    scaleForward(out: out.storage, input: x.storage, scale: 2, count: x.count)
    out.record(x) { out in scaleBackward(dInput: x.gradientPointer(), dOut: out.gradientPointer(), scale: backwardScale, count: out.count) }
    return out
}

/// Softmax whose backward replaces `Σ y·dy` by 1: right only when dOut is all ones, so a plain
/// `.sum()` loss cannot tell it from the true backward.
private func softmaxMissingTerm(_ x: Tensor) -> Tensor {
    let out = Tensor(uninitializedShape: x.shape)
    softmaxForward(out: out.storage, input: x.storage, rows: 1, width: x.count)
    out.record(x) { out in
        let dx = x.gradientPointer(), dy = out.gradientPointer()
        for i in 0..<out.count { dx[i] += out.storage[i] * (dy[i] - 1) }
    }
    return out
}

@Suite struct GradientCheckTests {
    @Test func correctBackwardPasses() {
        let report = GradientCheck.run("doubled", inputs: [randomTensor([5], seed: 1)], seed: 1) { doubled($0[0], backwardScale: 2) }
        #expect(report.passed, "\(report)")
        #expect(report.entries.count == 5)
        #expect(report.description.contains("OK"))
    }

    @Test func wrongBackwardIsReportedWithItsWorstElement() {
        let report = GradientCheck.run("doubled", inputs: [randomTensor([5], seed: 1)], seed: 1) { doubled($0[0], backwardScale: 3) }
        #expect(!report.passed)
        #expect(report.description.contains("NOT OK"))
        #expect(report.maxAbsoluteDifference > 0.01)
        #expect(report.worst != nil)
        #expect(report.description.contains("maxabs"))
    }

    @Test func smallDifferencesPrintInExponentForm() {
        let report = GradientCheckReport(name: "tiny", tolerance: 1e-2, entries: [.init(input: 0, element: 0, numeric: 1, analytic: 1 + 3.25e-7)])
        #expect(report.passed)
        #expect(report.description.contains("3.25e-7"), "\(report)")
    }

    @Test func randomProjectionCatchesWhatAPlainSumHides() {
        let x = randomTensor([6], seed: 3)
        // Plain sum: dOut = 1 everywhere, the wrong backward gives the right (zero) gradient.
        let tape = Tape()
        tape.backward(tape.recording { softmaxMissingTerm(x).sum() })
        #expect((x.gradient ?? []).allSatisfy { abs($0) < 1e-6 })
        // Projected: caught.
        let report = GradientCheck.run("softmax missing a term", inputs: [x], seed: 3) { softmaxMissingTerm($0[0]) }
        #expect(!report.passed, "\(report)")
    }

    @Test func inputsWithoutGradientTrap() async {
        await #expect(processExitsWith: .failure) {
            _ = GradientCheck.run(inputs: [Tensor.zeros(shape: [2])], seed: 1) { $0[0] * 2 }
        }
    }
}
