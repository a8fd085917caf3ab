import Testing
@testable import TensorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct FastMathTests {
    @Test func expMatchesLibmWithinTwoTenthsOfAMillionthRelative() {
        var worst: Double = 0
        for step in 0...200_000 {
            let x = Float(-87 + Double(step) * 175 / 200_000)
            let exact = libmExp(Double(x))
            worst = max(worst, abs(Double(fastExp(x)) - exact) / exact)
        }
        #expect(worst < 3e-7, "worst relative error \(worst)")
    }

    @Test func expSaturatesInsteadOfOverflowing() {
        #expect(fastExp(-.infinity) >= 0 && fastExp(-.infinity) < 1e-37)
        #expect(fastExp(1000).isFinite)
        #expect(fastExp(0) == 1)
    }

    @Test func tanhMatchesLibmWithinAbsoluteTolerance() {
        var worst: Float = 0
        for step in 0...20_000 {
            let x = Float(-12 + Double(step) * 24 / 20_000)
            worst = max(worst, abs(fastTanh(x) - tanhf(x)))
        }
        #expect(worst < 3e-7, "worst absolute error \(worst)")
        #expect(fastTanh(50) == 1 && fastTanh(-50) == -1)
    }
}

private func libmExp(_ x: Double) -> Double { exp(x) }
