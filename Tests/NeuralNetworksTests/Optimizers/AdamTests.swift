import IDATestSupport
import SeededRandom
import Testing
import TensorCore

@testable import NeuralNetworks

@Suite struct AdamTests {
    /// Minimises Σ (x − c)² from a seeded start.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func convergesOnAQuadratic(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let x = Tensor.normal(shape: [5], standardDeviation: 3, using: &rng, requiresGradient: true)
        let target = Tensor(shape: [5], scalars: [1, -2, 0.5, 3, -1])
        let adam = Adam(parameters: [x], configuration: AdamConfiguration(learningRate: 0.05))
        let tape = Tape()
        for _ in 0..<1000 {
            let loss = tape.recording { ((x - target) * (x - target)).sum() }
            tape.backward(loss)
            adam.step()
        }
        for (value, goal) in zip(x.scalars, target.scalars) { #expect(abs(value - goal) < 1e-2) }
    }

    @Test func firstStepMovesEachValueByTheLearningRate() {
        // With bias correction, step 1 is lr·g/|g| (up to ε) whatever the gradient's scale.
        let x = Tensor(shape: [3], scalars: [0, 0, 0], requiresGradient: true)
        let adam = Adam(parameters: [x], configuration: AdamConfiguration(learningRate: 0.1, gradientClipNorm: 1e9))
        let tape = Tape()
        let loss = tape.recording { (x * Tensor(shape: [3], scalars: [3, -0.001, 50])).sum() }
        tape.backward(loss)
        adam.step()
        let expected: [Float] = [-0.1, 0.1, -0.1]
        for (value, goal) in zip(x.scalars, expected) { #expect(abs(value - goal) < 1e-4) }
    }

    @Test func clipsTheGlobalNormAndReportsItUnclipped() {
        let x = Tensor(shape: [2], scalars: [0, 0], requiresGradient: true)
        let adam = Adam(parameters: [x], configuration: AdamConfiguration(learningRate: 0.1, beta1: 0, beta2: 0, epsilon: 0))
        let tape = Tape()
        let loss = tape.recording { (x * Tensor(shape: [2], scalars: [3, 4])).sum() }
        tape.backward(loss)
        #expect(abs(adam.step() - 5) < 1e-6)
        // β = 0: the step is lr·g/|g| per element, which clipping (a common scale) leaves unchanged.
        #expect(abs(x.scalars[0] + 0.1) < 1e-5 && abs(x.scalars[1] + 0.1) < 1e-5)
    }

    @Test func stepConsumesTheGradients() {
        let x = Tensor(shape: [2], scalars: [1, 2], requiresGradient: true)
        let adam = Adam(parameters: [x])
        let tape = Tape()
        let loss = tape.recording { (x * x).sum() }
        tape.backward(loss)
        adam.step()
        #expect(x.gradient == [0, 0])
        #expect(adam.stepCount == 1)
    }

    @Test func presetsCarryThePaperSettings() {
        for preset in [AdamConfiguration.tiny, .small, .paper] {
            #expect(preset.beta2 == 0.98 && preset.gradientClipNorm == 1 && preset.epsilon == 1e-8)
        }
        #expect(AdamConfiguration.paper.learningRate == 1e-5)
    }

    @Test(arguments: [1, 2, 3, 5])
    func workersCoverEveryParameterOnceInBalancedRanges(workers: Int) {
        let sizes = [100, 3, 40, 7, 60, 1, 1, 90]
        let offsets = sizes.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1) }
        let ranges = Adam.partition(offsets: offsets, workers: workers)
        #expect(ranges.flatMap { Array($0) } == Array(0..<sizes.count))
        #expect(ranges.count <= workers)
        let loads = ranges.map { range in range.reduce(0) { $0 + sizes[$1] } }
        #expect((loads.max() ?? 0) <= 302 / workers + 100)  // within one parameter of an even split
    }

    /// Two workers would update one tensor's values (or one shared buffer) at once.
    @Test func aParameterListedTwiceTraps() async {
        await #expect(processExitsWith: .failure) {
            let x = Tensor.zeros(shape: [4], requiresGradient: true)
            _ = Adam(parameters: [x, Tensor.zeros(shape: [2], requiresGradient: true), x], workerCount: 2)
        }
    }

    @Test func parametersSharingValuesTrap() async {
        await #expect(processExitsWith: .failure) {
            let x = Tensor.zeros(shape: [4], requiresGradient: true)
            let replica = Tensor.zeros(shape: [4], requiresGradient: true)
            replica.shareValues(with: x)
            _ = Adam(parameters: [x, replica], workerCount: 2)
        }
    }

    @Test(.tags(.concurrency)) func sameGradientsGiveTheSameUpdateWhateverTheWorkerCount() {
        func run(threads: Int) -> [Float] {
            var rng = SplitMix64(seed: 5)
            let tensors = (0..<6).map { _ in Tensor.normal(shape: [33], using: &rng, requiresGradient: true) }
            let adam = Adam(parameters: tensors, workerCount: threads)
            let tape = Tape()
            let loss = tape.recording { tensors.map { ($0 * $0).sum() }.reduce(Tensor(scalar: 0), +) }
            tape.backward(loss)
            adam.step()
            return tensors.flatMap(\.scalars)
        }
        #expect(run(threads: 1) == run(threads: 2))
    }

    /// Many parameters of uneven sizes, four workers, several steps with clipping active: the
    /// parallel norm and update give the one-worker result bit for bit.
    @Test(.tags(.concurrency)) func parallelStepsEqualOneWorkerOverManySteps() {
        func run(workers: Int) -> [Float] {
            var rng = SplitMix64(seed: 17)
            let tensors = (0..<40).map { Tensor.normal(shape: [1 + ($0 * 37) % 90], using: &rng, requiresGradient: true) }
            let adam = Adam(parameters: tensors, configuration: AdamConfiguration(gradientClipNorm: 0.5), workerCount: workers)
            var gradients = SplitMix64(seed: 18)
            for _ in 0..<5 {
                for tensor in tensors {
                    tensor.withUnsafeMutableBuffers { _, gradient in
                        for i in 0..<gradient.count { gradient[i] = gradients.nextNormal() }
                    }
                }
                adam.step()
            }
            return tensors.flatMap(\.scalars) + (0..<adam.offsets[40]).map { adam.firstMoments[$0] + adam.secondMoments[$0] }
        }
        #expect(run(workers: 4) == run(workers: 1))
    }
}
