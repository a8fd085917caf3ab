import SeededRandom
import Testing
import TensorCore

@testable import NeuralNetworks

@Suite struct ParameterAverageTests {
    static func named(_ values: [Float]) -> [NamedParameter] {
        [("w", Tensor(shape: [values.count], scalars: values, requiresGradient: true))]
    }

    @Test func firstUpdateCopiesTheStudent() {
        var average = ParameterAverage(horizon: 10)
        let teacher = Self.named([5, 5])
        average.update(average: teacher, toward: Self.named([1, -1]))
        #expect(teacher[0].tensor.scalars == [1, -1])
    }

    @Test(arguments: [3, 7] as [Int])
    func isTheExactMeanUntilTheHorizon(horizon: Int) {
        var average = ParameterAverage(horizon: horizon)
        let teacher = Self.named([0])
        let students: [Float] = [2, 4, 9, 1, 3, 8, 5]
        for (index, value) in students.prefix(horizon).enumerated() {
            average.update(average: teacher, toward: Self.named([value]))
            let mean = students.prefix(index + 1).reduce(0, +) / Float(index + 1)
            #expect(abs(teacher[0].tensor.scalars[0] - mean) < 1e-5)
        }
    }

    @Test func becomesExponentialAfterTheHorizon() {
        var average = ParameterAverage(horizon: 4)
        let teacher = Self.named([0])
        for _ in 0..<4 { average.update(average: teacher, toward: Self.named([1])) }
        #expect(teacher[0].tensor.scalars == [1])
        average.update(average: teacher, toward: Self.named([5]))
        // t = 5 > horizon: teacher += (5 − 1)/4.
        #expect(teacher[0].tensor.scalars == [2])
        #expect(average.updateCount == 5)
        #expect(average.nextWeight == 0.25)
    }

    @Test func averagesAWholeAnswerer() {
        var rng = SplitMix64(seed: 1)
        let student = Answerer(configuration: .tiny, dimensions: ToyLookup.dimensions, rng: &rng)
        let teacher = Answerer(configuration: .tiny, dimensions: ToyLookup.dimensions, rng: &rng)
        var average = ParameterAverage(horizon: 100)
        average.update(average: teacher.parameters(), toward: student.parameters())
        // The first update is teacher + (student − teacher)·1: the student up to one rounding.
        let pairs = zip(teacher.checkpoint().parameters, student.checkpoint().parameters)
        let worst = pairs.flatMap { zip($0.values, $1.values).map { abs($0 - $1) } }.max() ?? .infinity
        #expect(worst < 1e-6)
    }

    @Test func mismatchedKeysTrap() async {
        await #expect(processExitsWith: .failure) {
            var average = ParameterAverage(horizon: 2)
            average.update(
                average: [("a", Tensor.zeros(shape: [1]))], toward: [("b", Tensor.zeros(shape: [1]))])
        }
    }

    @Test func zeroHorizonTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = ParameterAverage(horizon: 0)
        }
    }
}
