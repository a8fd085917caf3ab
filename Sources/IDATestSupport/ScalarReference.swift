#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One scalar of an independent reverse-mode autodiff engine in `Double`: the oracle that
/// TensorCore's fused Float kernels are compared with (micrograd's `Value`, written anew).
///
/// Build the same expression from scalars and from tensors, then compare values and gradients.
/// Composite helpers (`softmax`, `layerNorm`, `gelu`, …) are defined from the primitives here,
/// never from TensorCore's formulas.
///
/// ```swift
/// let a = ScalarReference(2), b = ScalarReference(-3)
/// let y = (a * b + a.exp()).tanh()
/// y.backward()          // a.gradient, b.gradient now hold dy/da, dy/db
/// ```
public final class ScalarReference {
    public let value: Double
    public var gradient: Double = 0
    private let parents: [ScalarReference]
    /// Local derivatives d self / d parents[i].
    private let localGradients: [Double]

    public init(_ value: Double) {
        self.value = value
        parents = []
        localGradients = []
    }

    private init(_ value: Double, parents: [ScalarReference], localGradients: [Double]) {
        self.value = value
        self.parents = parents
        self.localGradients = localGradients
    }

    public static func + (a: ScalarReference, b: ScalarReference) -> ScalarReference {
        ScalarReference(a.value + b.value, parents: [a, b], localGradients: [1, 1])
    }
    public static func * (a: ScalarReference, b: ScalarReference) -> ScalarReference {
        ScalarReference(a.value * b.value, parents: [a, b], localGradients: [b.value, a.value])
    }
    public static func - (a: ScalarReference, b: ScalarReference) -> ScalarReference { a + b * ScalarReference(-1) }
    public static func / (a: ScalarReference, b: ScalarReference) -> ScalarReference { a * b.power(-1) }
    public static prefix func - (a: ScalarReference) -> ScalarReference { a * ScalarReference(-1) }
    public static func + (a: ScalarReference, b: Double) -> ScalarReference { a + ScalarReference(b) }
    public static func * (a: ScalarReference, b: Double) -> ScalarReference { a * ScalarReference(b) }

    public func power(_ exponent: Double) -> ScalarReference {
        ScalarReference(pow(value, exponent), parents: [self], localGradients: [exponent * pow(value, exponent - 1)])
    }
    public func exp() -> ScalarReference {
        let e = libmExp(value)
        return ScalarReference(e, parents: [self], localGradients: [e])
    }
    public func log() -> ScalarReference {
        ScalarReference(libmLog(value), parents: [self], localGradients: [1 / value])
    }
    public func tanh() -> ScalarReference {
        let e2 = libmExp(2 * value)
        let t = (e2 - 1) / (e2 + 1)
        return ScalarReference(t, parents: [self], localGradients: [1 - t * t])
    }
    public func relu() -> ScalarReference {
        ScalarReference(max(value, 0), parents: [self], localGradients: [value > 0 ? 1 : 0])
    }

    /// Reverse mode: a depth-first topological order, then chain rule from the output back.
    public func backward() {
        var order: [ScalarReference] = []
        var visited = Set<ObjectIdentifier>()
        func visit(_ node: ScalarReference) {
            guard visited.insert(ObjectIdentifier(node)).inserted else { return }
            for parent in node.parents { visit(parent) }
            order.append(node)
        }
        visit(self)
        gradient = 1
        // Every node's gradient is complete before it pushes into its parents.
        for node in order.reversed() {
            for (parent, local) in zip(node.parents, node.localGradients) { parent.gradient += local * node.gradient }
        }
    }
}

// Composite functions built only from the primitives above.
extension ScalarReference {
    public static func sum(_ values: [ScalarReference]) -> ScalarReference {
        values.dropFirst().reduce(values.first ?? ScalarReference(0), +)
    }

    /// Softmax of a row; the maximum is subtracted as a constant (it does not change the result).
    public static func softmax(_ row: [ScalarReference]) -> [ScalarReference] {
        let shift = row.map(\.value).max() ?? 0
        let exps = row.map { ($0 + -shift).exp() }
        let total = sum(exps)
        return exps.map { $0 / total }
    }

    public static func logSumExp(_ values: [ScalarReference]) -> ScalarReference {
        let shift = values.map(\.value).max() ?? 0
        return sum(values.map { ($0 + -shift).exp() }).log() + shift
    }

    /// (x − mean) / √(var + ε) · weight + bias over one row, variance biased (divide by C).
    public static func layerNorm(
        _ row: [ScalarReference], weight: [ScalarReference], bias: [ScalarReference], epsilon: Double
    ) -> [ScalarReference] {
        let n = Double(row.count)
        let mean = sum(row) * (1 / n)
        let centred = row.map { $0 - mean }
        let variance = sum(centred.map { $0 * $0 }) * (1 / n)
        let inverse = (variance + epsilon).power(-0.5)
        return zip(centred, zip(weight, bias)).map { x, wb in x * inverse * wb.0 + wb.1 }
    }

    /// GELU, tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
    public func gelu() -> ScalarReference {
        let inner = (self + self.power(3) * 0.044715) * (2 / Double.pi).squareRoot()
        return self * 0.5 * (inner.tanh() + 1)
    }

    /// Row-major matrix product of (m, k) and (k, n) given as nested rows.
    public static func matmul(_ a: [[ScalarReference]], _ b: [[ScalarReference]]) -> [[ScalarReference]] {
        a.map { row in (0..<(b.first?.count ?? 0)).map { j in sum(zip(row, b).map { $0 * $1[j] }) } }
    }

    /// Scalars for a flat array of values.
    public static func leaves(_ values: [Float]) -> [ScalarReference] { values.map { ScalarReference(Double($0)) } }
}

/// The C library functions, named apart from the methods `exp()` and `log()` that shadow them.
@inline(__always) private func libmExp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func libmLog(_ x: Double) -> Double { log(x) }
