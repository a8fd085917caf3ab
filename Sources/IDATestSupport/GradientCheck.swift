import SeededRandom
import TensorCore

/// Compares an op's tape gradients with central differences (llm.c's gradient check).
///
/// The op's output is projected on a fixed random tensor r, so the checked loss is
/// `sum(op(inputs) * r)`, never a plain sum, which feeds dOut = 1 everywhere and hides wrong
/// softmax and layer-norm backwards. The numeric side perturbs each input element by ±ε in Float,
/// reruns the forward without recording, and forms the projected sum and the central difference
/// in Double; ε = 1e-2 keeps Float rounding (about 1e-7·|loss|/ε) far below the tolerance.
/// An element passes when |numeric − analytic| ≤ tolerance · max(1, |numeric|).
///
/// ```swift
/// let report = GradientCheck.run(inputs: [x], seed: 1) { $0[0].softmax() }
/// #expect(report.passed, "\(report)")
/// ```
public enum GradientCheck {
    /// Checks every element of every input. Inputs must have `requiresGradient: true`; their
    /// gradients are zeroed first. `op` must be deterministic (seed any randomness inside it).
    public static func run(
        _ name: String = "op", inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Double = 1e-2,
        seed: UInt64, _ op: ([Tensor]) -> Tensor
    ) -> GradientCheckReport {
        precondition(inputs.allSatisfy(\.requiresGradient), "GradientCheck: every input needs requiresGradient: true")
        let probe = op(inputs)
        var rng = SplitMix64(seed: seed)
        let projection = Tensor.uniform(shape: probe.shape, in: -1...1, using: &rng)
        let weights = projection.scalars

        inputs.zeroGradients()
        let tape = Tape()
        let loss = tape.recording { (op(inputs) * projection).sum() }
        tape.backward(loss)

        func projectedLoss() -> Double {
            zip(op(inputs).scalars, weights).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        var entries: [GradientCheckReport.Entry] = []
        for (inputIndex, input) in inputs.enumerated() {
            let analytic = input.gradient ?? Array(repeating: 0, count: input.count)
            for element in 0..<input.count {
                // Safe: element < input.count (the loop's range); the buffers do not escape the closures.
                let original = input.withUnsafeMutableBuffer { $0[element] }
                input.withUnsafeMutableBuffer { $0[element] = original + epsilon }
                let plus = projectedLoss()
                input.withUnsafeMutableBuffer { $0[element] = original - epsilon }
                let minus = projectedLoss()
                input.withUnsafeMutableBuffer { $0[element] = original }
                let numeric = (plus - minus) / (2 * Double(epsilon))
                entries.append(.init(input: inputIndex, element: element, numeric: numeric, analytic: Double(analytic[element])))
            }
        }
        return GradientCheckReport(name: name, tolerance: tolerance, entries: entries)
    }
}

/// The outcome of a ``GradientCheck``: every element's numeric and analytic derivative, the
/// largest differences and where they occur. Its description prints llm.c-style rows.
public struct GradientCheckReport: CustomStringConvertible, Sendable {
    public struct Entry: Sendable {
        public var input: Int, element: Int
        public var numeric: Double, analytic: Double
        public init(input: Int, element: Int, numeric: Double, analytic: Double) {
            self.input = input
            self.element = element
            self.numeric = numeric
            self.analytic = analytic
        }
        public var absoluteDifference: Double { abs(numeric - analytic) }
        public var relativeDifference: Double { absoluteDifference / max(1, abs(numeric)) }
    }

    public var name: String
    public var tolerance: Double
    public var entries: [Entry]

    public init(name: String, tolerance: Double, entries: [Entry]) {
        self.name = name
        self.tolerance = tolerance
        self.entries = entries
    }

    /// The largest |numeric − analytic|.
    public var maxAbsoluteDifference: Double { entries.map(\.absoluteDifference).max() ?? 0 }
    /// The largest |numeric − analytic| / max(1, |numeric|).
    public var maxRelativeDifference: Double { entries.map(\.relativeDifference).max() ?? 0 }
    /// The entry with the largest relative difference.
    public var worst: Entry? { entries.max { $0.relativeDifference < $1.relativeDifference } }
    /// True when every element is within tolerance (and at least one was checked).
    public var passed: Bool { !entries.isEmpty && entries.allSatisfy { $0.relativeDifference <= tolerance } }

    public var description: String {
        var lines = ["gradient check \(name): \(passed ? "OK" : "NOT OK") over \(entries.count) elements"]
        let inputs = Set(entries.map(\.input)).sorted()
        for input in inputs {
            let rows = entries.filter { $0.input == input }
            let bad = rows.filter { $0.relativeDifference > tolerance }.count
            let maxdiff = rows.map(\.absoluteDifference).max() ?? 0
            lines.append("  input \(input): \(bad == 0 ? "OK" : "NOT OK (\(bad) bad)") maxdiff \(format(maxdiff))")
        }
        if let worst {
            lines.append("  worst: input \(worst.input) element \(worst.element) numeric \(format(worst.numeric)) analytic \(format(worst.analytic))")
        }
        lines.append("  maxabs \(format(maxAbsoluteDifference)) maxrel \(format(maxRelativeDifference)) tolerance \(format(tolerance))")
        for entry in entries.prefix(5) {
            lines.append("  [\(entry.input)][\(entry.element)] numeric \(format(entry.numeric)) analytic \(format(entry.analytic))")
        }
        return lines.joined(separator: "\n")
    }

    /// Four significant digits, in exponent form below 1e-3 so small differences stay visible.
    private func format(_ x: Double) -> String {
        guard x.isFinite, x != 0 else { return "\(x)" }
        var exponent = 0
        var mantissa = abs(x)
        if mantissa >= 1e-3 {
            return "\((x * 1e4).rounded() / 1e4)"
        }
        while mantissa < 1 {
            mantissa *= 10
            exponent -= 1
        }
        let rounded = (mantissa * 1e3).rounded() / 1e3
        return "\(x < 0 ? "-" : "")\(rounded)e\(exponent)"
    }
}
