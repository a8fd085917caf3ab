import IDATestSupport
import Testing

@Suite struct ScalarReferenceTests {
    @Test func microgradSanityExpressionHasKnownValueAndGradient() {
        // micrograd's test_sanity_check: y = relu(z·z + z·x) ... here with known derivatives:
        // f(a, b) = a·b + a³ at (2, −3): f = 2, df/da = b + 3a² = 9, df/db = a = 2.
        let a = ScalarReference(2), b = ScalarReference(-3)
        let f = a * b + a.power(3)
        f.backward()
        #expect(f.value == 2)
        #expect(a.gradient == 9 && b.gradient == 2)
    }

    @Test func sharedNodesAccumulate() {
        let x = ScalarReference(3)
        let y = x * x + x
        y.backward()
        #expect(y.value == 12 && x.gradient == 7)
    }

    @Test(arguments: [-1.5, -0.2, 0.3, 2.0])
    func primitiveDerivativesMatchCentralDifferences(point: Double) {
        let functions: [(ScalarReference) -> ScalarReference] = [
            { $0.exp() }, { $0.tanh() }, { $0.gelu() }, { ($0 * $0 + 1).log() }, { ScalarReference(1) / ($0 * $0 + 1) },
        ]
        for function in functions {
            let x = ScalarReference(point)
            let y = function(x)
            y.backward()
            let h = 1e-6
            let numeric = (function(ScalarReference(point + h)).value - function(ScalarReference(point - h)).value) / (2 * h)
            #expect(abs(numeric - x.gradient) < 1e-6)
        }
    }

    @Test func compositesGiveKnownValues() {
        let row = [1.0, 2, 3].map(ScalarReference.init)
        let softmax = ScalarReference.softmax(row).map(\.value)
        #expect(abs(softmax.reduce(0, +) - 1) < 1e-12 && abs(softmax[2] - 0.665240955774822) < 1e-12)
        #expect(abs(ScalarReference.logSumExp(row).value - 3.40760596444438) < 1e-12)
        let normed = ScalarReference.layerNorm(row, weight: [1, 1, 1].map(ScalarReference.init), bias: [0, 0, 0].map(ScalarReference.init), epsilon: 0)
        #expect(abs(normed[0].value + 1.224744871391589) < 1e-12)
        let product = ScalarReference.matmul([[ScalarReference(1), ScalarReference(2)]], [[ScalarReference(3)], [ScalarReference(4)]])
        #expect(product[0][0].value == 11)
    }
}
