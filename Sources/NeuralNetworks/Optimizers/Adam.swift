#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import TensorCore

/// Adam's hyper-parameters (reference §4.4), with presets per model size.
public struct AdamConfiguration: Codable, Sendable, Equatable, Hashable {
    /// Step size. 1e-3: small models tolerate more than the paper's 1e-5 (reference §9).
    public var learningRate: Float
    /// First-moment decay. 0.9: the TF/PyTorch default the paper keeps.
    public var beta1: Float
    /// Second-moment decay. 0.98: the paper's setting, shorter memory than the usual 0.999.
    public var beta2: Float
    /// Denominator guard. 1e-8: the paper's (TF default).
    public var epsilon: Float
    /// The global gradient norm is scaled down to this when larger. 1.0: the paper's clip.
    public var gradientClipNorm: Float

    public init(
        learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.98, epsilon: Float = 1e-8,
        gradientClipNorm: Float = 1
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.gradientClipNorm = gradientClipNorm
    }

    /// 1e-3: tiny models converge in a few hundred steps without instability.
    public static let tiny = AdamConfiguration(learningRate: 1e-3)
    /// 1e-3: reference §9's upper end for d 64; lower it to 3e-4 if a run diverges.
    public static let small = AdamConfiguration(learningRate: 1e-3)
    /// 1e-5: the paper's setting for d 512.
    public static let paper = AdamConfiguration(learningRate: 1e-5)
}

/// Adam with bias correction and global gradient-norm clipping, over a fixed list of parameters.
///
/// `step()` computes the global norm `n = sqrt(Σ g²)` over every parameter's gradient, scales the
/// gradients by `min(1, clip / n)`, then for each value:
/// `m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr·(m/(1−β1ᵗ)) / (sqrt(v/(1−β2ᵗ)) + ε)`,
/// and finally zeroes the gradients (they are consumed), so the next backward starts clean.
///
/// ```swift
/// let adam = Adam(parameters: model.parameters().map(\.tensor), configuration: .small)
/// let loss = tape.recording { model.loss(batch) }
/// tape.backward(loss)
/// adam.step()
/// ```
public final class Adam {
    public let configuration: AdamConfiguration
    /// The tensors updated, in order.
    public let parameters: [Tensor]
    /// Steps taken so far (t in the bias correction).
    public internal(set) var stepCount = 0
    /// m and v of every parameter, back to back (offsets[i] is parameter i's start).
    // Safe: offsets.last Floats each (at least one), freed only in deinit; parameter i owns [offsets[i], offsets[i + 1]).
    let firstMoments: UnsafeMutablePointer<Float>
    let secondMoments: UnsafeMutablePointer<Float>
    let offsets: [Int]
    /// Parameter index ranges of the workers, balanced by value count.
    private let partitions: [Range<Int>]

    /// An optimizer over `parameters` with zeroed moments.
    ///
    /// - Precondition: no tensor is listed twice and no two share values (the workers update
    ///   their parameters without a lock).
    /// - Parameters:
    ///   - workerCount: threads for the update, default one per online core (hardware, read once).
    ///     The update never overlaps a BLAS call, so it cannot oversubscribe BLAS threads, and the
    ///     result does not depend on it.
    public init(parameters: [Tensor], configuration: AdamConfiguration = .small, workerCount: Int = Adam.coreCount) {
        for (index, tensor) in parameters.enumerated() {
            for other in parameters[..<index] where other === tensor || other.sharesValues(with: tensor) {
                preconditionFailure("Adam: parameter \(index) \(tensor.shape) is listed twice or shares another's values")
            }
        }
        self.configuration = configuration
        self.parameters = parameters
        offsets = parameters.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.count) }
        let total = offsets[offsets.count - 1]
        firstMoments = .allocate(capacity: max(1, total))
        firstMoments.initialize(repeating: 0, count: max(1, total))
        secondMoments = .allocate(capacity: max(1, total))
        secondMoments.initialize(repeating: 0, count: max(1, total))
        partitions = Adam.partition(offsets: offsets, workers: max(1, workerCount))
    }

    // Safe: the moments are owned here and never handed out past a call.
    deinit {
        firstMoments.deallocate()
        secondMoments.deallocate()
    }

    /// Online cores.
    public static let coreCount = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// Runs `body(0..<count)` on `count` threads; each worker touches only its own parameters.
    static func concurrently(_ count: Int, _ body: (Int) -> Void) {
        guard count > 1 else {
            if count == 1 { body(0) }
            return
        }
        // Safe: each worker index runs once and concurrentPerform joins before returning (no escape).
        withoutActuallyEscaping(body) { escapable in
            let shared = WorkerBody(run: escapable)
            DispatchQueue.concurrentPerform(iterations: count) { shared.run($0) }
        }
    }

    /// Carries a worker body into `concurrentPerform`.
    // Safe: workers get disjoint parameter ranges (`partition`), and no two parameters are one
    // tensor or share values (precondition in init), so no two workers write the same memory.
    private struct WorkerBody: @unchecked Sendable {
        let run: (Int) -> Void
    }

    /// Splits parameters into `workers` contiguous ranges of about equal value counts.
    static func partition(offsets: [Int], workers: Int) -> [Range<Int>] {
        let total = offsets[offsets.count - 1]
        var ranges: [Range<Int>] = []
        var start = 0
        for worker in 1...workers {
            let goal = total * worker / workers
            var end = start
            while end < offsets.count - 1, offsets[end + 1] <= goal || end == start { end += 1 }
            if worker == workers { end = offsets.count - 1 }
            if end > start { ranges.append(start..<end) }
            start = end
        }
        return ranges
    }

    /// One update from the accumulated gradients, which it then zeroes.
    ///
    /// - Returns: the global gradient norm before clipping.
    @discardableResult
    public func step() -> Float {
        stepCount += 1
        // The global norm: one partial sum per worker, added in a fixed order (deterministic).
        var partials = [Double](repeating: 0, count: partitions.count)
        // Safe: worker w writes only sums[w] (w < partitions.count == sums.count); `sums` stays in the closure.
        partials.withUnsafeMutableBufferPointer { sums in
            guard let base = sums.baseAddress else { return }
            Adam.concurrently(partitions.count) { worker in
                var total: Double = 0
                for index in partitions[worker] {
                    parameters[index].withUnsafeMutableBuffers { _, gradient in total += Double(Adam.sumOfSquares(gradient)) }
                }
                base[worker] = total
            }
        }
        let squares = partials.reduce(0, +)
        let norm = Float(squares.squareRoot())
        let c = configuration
        let t = Float(stepCount)
        // lr·m̂/(sqrt(v̂)+ε) = (lr/c1)·m / (sqrt(v)/sqrt(c2) + ε), with c = 1 − βᵗ
        let coefficients = Adam.Coefficients(
            gradientScale: norm > c.gradientClipNorm ? c.gradientClipNorm / norm : 1,
            beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon,
            stepSize: c.learningRate / (1 - powf(c.beta1, t)),
            inverseRootCorrection2: 1 / (1 - powf(c.beta2, t)).squareRoot())
        // Safe: worker w touches only its parameters' values, gradients and moment slices [offsets[i], offsets[i] + count).
        let (m, v) = (firstMoments, secondMoments)
        Adam.concurrently(partitions.count) { worker in
            for index in partitions[worker] {
                parameters[index].withUnsafeMutableBuffers { values, gradient in
                    let count = values.count
                    Adam.update(
                        values: values, gradient: gradient,
                        m: UnsafeMutableBufferPointer(start: m + offsets[index], count: count),
                        v: UnsafeMutableBufferPointer(start: v + offsets[index], count: count), coefficients)
                }
            }
        }
        return norm
    }

    struct Coefficients {
        var gradientScale, beta1, beta2, epsilon, stepSize, inverseRootCorrection2: Float
    }

    /// Σ g² in 16 lanes.
    static func sumOfSquares(_ gradient: UnsafeMutableBufferPointer<Float>) -> Float {
        guard let g = gradient.baseAddress else { return 0 }
        // Safe: 16-lane loads only while i + 16 ≤ count, then scalar reads below count.
        var wide = SIMD16<Float>()
        var i = 0
        while i + 16 <= gradient.count {
            let lanes = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD16<Float>.self)
            wide += lanes * lanes
            i += 16
        }
        var total = wide.sum()
        while i < gradient.count {
            total += g[i] * g[i]
            i += 1
        }
        return total
    }

    /// The element-wise Adam update of one tensor; zeroes its gradient.
    static func update(
        values: UnsafeMutableBufferPointer<Float>, gradient: UnsafeMutableBufferPointer<Float>,
        m: UnsafeMutableBufferPointer<Float>, v: UnsafeMutableBufferPointer<Float>, _ c: Coefficients
    ) {
        guard let p = values.baseAddress, let g = gradient.baseAddress, let mp = m.baseAddress, let vp = v.baseAddress
        else { return }
        typealias Lanes = SIMD16<Float>
        let count = values.count
        var i = 0
        // Safe: the four buffers have `count` elements (one parameter's slices) and are distinct
        // allocations; 16-lane loads and stores run only while i + 16 ≤ count.
        while i + 16 <= count {
            let gi = UnsafeRawPointer(g + i).loadUnaligned(as: Lanes.self) * c.gradientScale
            let mi = c.beta1 * UnsafeRawPointer(mp + i).loadUnaligned(as: Lanes.self) + (1 - c.beta1) * gi
            let vi = c.beta2 * UnsafeRawPointer(vp + i).loadUnaligned(as: Lanes.self) + (1 - c.beta2) * gi * gi
            let pi = UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self)
                - c.stepSize * mi / (vi.squareRoot() * c.inverseRootCorrection2 + c.epsilon)
            UnsafeMutableRawPointer(mp + i).storeBytes(of: mi, as: Lanes.self)
            UnsafeMutableRawPointer(vp + i).storeBytes(of: vi, as: Lanes.self)
            UnsafeMutableRawPointer(p + i).storeBytes(of: pi, as: Lanes.self)
            UnsafeMutableRawPointer(g + i).storeBytes(of: Lanes(), as: Lanes.self)
            i += 16
        }
        while i < count {
            let gi = g[i] * c.gradientScale
            let mi = c.beta1 * mp[i] + (1 - c.beta1) * gi
            let vi = c.beta2 * vp[i] + (1 - c.beta2) * gi * gi
            mp[i] = mi
            vp[i] = vi
            p[i] -= c.stepSize * mi / (vi.squareRoot() * c.inverseRootCorrection2 + c.epsilon)
            g[i] = 0
            i += 1
        }
    }
}
